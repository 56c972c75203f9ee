#!/usr/bin/env bash
# Benchmark of the in-memory backend at scale: N clusters (default 100) of upstream's in-memory ClusterClass
# (clusterclass-in-memory.yaml and cluster-template-in-memory.yaml from the Go module sigs.k8s.io/cluster-api/test,
# unchanged), 1 control plane machine + 2 workers each, on a local management plane with upstream CAPI core and our
# providers in their one process, at most CONCURRENCY (default 10) coming up at a time, as upstream's scale test
# bounds its own (CAPI_SCALE_CONCURRENCY, default 5): a 2-core machine with 100 clusters applied at once spends its
# CPU on the API server and on key generation, and upstream's class's health checks replace the Machines that are
# still coming up after 5 minutes. Then all are deleted at once. Prints the time until every Cluster is Available,
# the time until every Cluster is gone, the providers' resident memory, threads and CPU seconds at rest, with the N
# clusters and after, and CAPI core's memory for comparison. No container is made.
#
#   hack/bench-inmemory.sh [N]        (CONCURRENCY=C; PROVIDERS_JAR=FILE: another build of all-in-one.jar)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${1:-100}
CONCURRENCY=${CONCURRENCY:-10}
WORK="$REPO_ROOT/target/bench-inmemory"
NS=bench
TOOLS="$("$HACK_DIR/tools.sh" --print-dir)"
KUBECTL="$TOOLS/kubectl"
CLUSTERCTL="$TOOLS/clusterctl"
TEMPLATES="$(dirname "$TOOLS")/cluster-api-test-src/infrastructure/docker/templates"
rm -rf "$WORK"; mkdir -p "$WORK"
export TESTENV_DIR="$WORK/plane"

cleanup() {
  [ -f "$WORK/provider.pid" ] && kill "$(cat "$WORK/provider.pid")" 2>/dev/null
  "$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

now() { date +%s.%N; }
rss_mib() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status"; }
threads() { awk '/Threads/{print $2}' "/proc/$1/status"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# jstat -gc: S0C S1C S0U S1U EC EU OC OU ... YGC YGCT FGC FGCT ...: the heap in use, and full collections so far
heap_used_mib() { jstat -gc "$1" 2>/dev/null | awk 'NR==2{printf "%.0f", ($3 + $4 + $6 + $8) / 1024}'; }
full_gcs() { jstat -gc "$1" 2>/dev/null | awk 'NR==1{for (i = 1; i <= NF; i++) if ($i == "FGC") c = i} NR==2{print $c}'; }
count() { "$KUBECTL" -n $NS get "$1" --no-headers 2>/dev/null | wc -l; }

[ -f "$TEMPLATES/clusterclass-in-memory.yaml" ] || die "upstream's templates are missing: run hack/tools.sh"
KUBECONFIG=$("$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
export KUBECONFIG
crd_files=()
for crd in "$REPO_ROOT"/crds/*.yaml; do crd_files+=(-f "$crd"); done
"$KUBECTL" apply --server-side "${crd_files[@]}" >/dev/null
"$KUBECTL" wait --for condition=established "${crd_files[@]}" >/dev/null
"$KUBECTL" apply --server-side -f "$REPO_ROOT/crds/policies/" >/dev/null
JAR=${PROVIDERS_JAR:-$REPO_ROOT/all-in-one/target/all-in-one.jar}
[ -n "${PROVIDERS_JAR:-}" ] || provider_jar_fresh all-in-one || (cd "$REPO_ROOT" && mvn -B -q -DskipTests package -pl all-in-one -am)

# the providers as hack/quickstart.sh runs them (a larger heap: N clusters' simulated objects live in it)
KUBECONFIG="$KUBECONFIG" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx384m \
  -jar "$JAR" --namespace=$NS --health-addr=127.0.0.1:0 --diagnostics-address=127.0.0.1:0 \
  >"$WORK/provider.log" 2>&1 &
echo $! >"$WORK/provider.pid"
PID=$(cat "$WORK/provider.pid")
CORE_PID=$(cat "$TESTENV_DIR/cluster-api-manager.pid" 2>/dev/null || pgrep -f "cluster-api-manager|capi-manager" | head -n 1)
"$KUBECTL" create namespace $NS >/dev/null
"$KUBECTL" -n $NS apply -f "$TEMPLATES/clusterclass-in-memory.yaml" >/dev/null
sleep 10
rest=$(rss_mib "$PID"); rest_threads=$(threads "$PID"); cpu_start=$(cpu_seconds "$PID")
core_rest=$([ -n "$CORE_PID" ] && rss_mib "$CORE_PID" || echo "?")

available() {
  "$KUBECTL" -n $NS get clusters -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Available")].status}{"\n"}{end}' 2>/dev/null | grep -c True || true
}
start=$(now)
deadline=$(( $(date +%s) + 3600 ))
applied=0
while :; do
  up_now=$(available)
  [ "$up_now" -ge "$N" ] && break
  while [ "$applied" -lt "$N" ] && [ $((applied - up_now)) -lt "$CONCURRENCY" ]; do
    applied=$((applied + 1))
    CLUSTER_NAME=c$applied NAMESPACE=$NS KUBERNETES_VERSION=$KUBERNETES_VERSION CONTROL_PLANE_MACHINE_COUNT=1 \
      WORKER_MACHINE_COUNT=2 "$CLUSTERCTL" generate yaml --from "$TEMPLATES/cluster-template-in-memory.yaml" |
      "$KUBECTL" apply -f - >/dev/null
  done
  [ "$(date +%s)" -lt "$deadline" ] || die "only $up_now of $N clusters Available after an hour (logs: $WORK)"
  sleep 2
done
up=$(echo "$(now) - $start" | bc)
machines=$(count machines)
sleep 5
loaded=$(rss_mib "$PID"); loaded_threads=$(threads "$PID"); cpu_up=$(echo "$(cpu_seconds "$PID") - $cpu_start" | bc)
loaded_heap=$(heap_used_mib "$PID"); loaded_full_gcs=$(full_gcs "$PID")
core_loaded=$([ -n "$CORE_PID" ] && rss_mib "$CORE_PID" || echo "?")

start=$(now)
"$KUBECTL" -n $NS delete clusters --all --wait=true --timeout=1800s >/dev/null
gone=$(echo "$(now) - $start" | bc)
left_machines=$(count machines); left_devclusters=$(count devclusters)
sleep 10
after=$(rss_mib "$PID"); after_threads=$(threads "$PID")
cpu_total=$(echo "$(cpu_seconds "$PID") - $cpu_start" | bc)

printf '%d clusters (1 CP + 2 workers each, %d Machines), at most %d coming up at a time: all Available after %.1f s\n' \
  "$N" "$machines" "$CONCURRENCY" "$up"
printf 'all deleted in %.1f s (%d Machines, %d DevClusters left)\n' "$gone" "$left_machines" "$left_devclusters"
printf 'providers (one process): resident %s MiB at rest, %s MiB with %d clusters, %s MiB after deletion\n' \
  "$rest" "$loaded" "$N" "$after"
printf 'providers: heap in use %s MiB (of -Xmx384m) with the clusters, %s full collections by then\n' \
  "$loaded_heap" "$loaded_full_gcs"
printf 'providers: threads %s at rest, %s with the clusters, %s after; CPU %s s to bring them up, %s s in all\n' \
  "$rest_threads" "$loaded_threads" "$after_threads" "$cpu_up" "$cpu_total"
printf 'CAPI core (upstream, for comparison): resident %s MiB at rest, %s MiB with the clusters\n' "$core_rest" "$core_loaded"
