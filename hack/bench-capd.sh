#!/usr/bin/env bash
# Benchmark of the Docker infrastructure provider, run in our providers' one process against a local management plane:
#   - provisioning time of one machine, split into engine time (the same container run, systemd wait and bootstrap
#     exec done with the docker CLI) and provider overhead (the rest);
#   - the provider's resident memory at rest and with N machines (default 20), its CPU seconds, and the API requests
#     it made per machine (from the API server's audit log).
# Machines bootstrap with a trivial cloud-config (no kubeadm), so the numbers are the provider's, not kubeadm's.
#
#   hack/bench-capd.sh [N]        (PROVIDERS_JAR=FILE: another build of all-in-one.jar; BENCH_JVM_ARGS: more JVM
#                                  options for it, a profiler say)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

N=${1:-20}
WORK="$REPO_ROOT/target/bench-capd"
NS=bench
CLUSTER=bench
IMAGE=kindest/node:$KUBERNETES_VERSION
KUBECTL="$("$HACK_DIR/tools.sh" --print-dir)/kubectl"
rm -rf "$WORK"; mkdir -p "$WORK"
export TESTENV_DIR="$WORK/plane"
export TESTENV_AUDIT_LOG="$WORK/audit.log"

cleanup() {
  [ -f "$WORK/provider.pid" ] && kill "$(cat "$WORK/provider.pid")" 2>/dev/null
  docker ps -aq --filter "label=io.x-k8s.kind.cluster=$CLUSTER" | xargs -r docker rm -f -v >/dev/null
  docker rm -f -v bench-engine >/dev/null 2>&1 || true
  "$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT

now() { date +%s.%N; }
rss_mib() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status"; }
# user + system CPU seconds of a process
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
# requests our provider (fabric8's user agent) made, from audit line FROM on (one per audit ID)
provider_requests() {
  tail -n +"$1" "$TESTENV_AUDIT_LOG" | grep '"userAgent":"fabric8' | grep -o '"auditID":"[^"]*"' | sort -u | wc -l
}

KUBECONFIG=$("$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
export KUBECONFIG
# the CRD files only (kubectl reads subdirectories too; the policies in crds/policies have no Established condition)
crd_files=()
for crd in "$REPO_ROOT"/crds/*.yaml; do crd_files+=(-f "$crd"); done
"$KUBECTL" apply --server-side "${crd_files[@]}" >/dev/null
"$KUBECTL" wait --for condition=established "${crd_files[@]}" >/dev/null
"$KUBECTL" apply --server-side -f "$REPO_ROOT/crds/policies/" >/dev/null
# PROVIDERS_JAR: another build of all-in-one.jar, to compare
JAR=${PROVIDERS_JAR:-$REPO_ROOT/all-in-one/target/all-in-one.jar}
[ -n "${PROVIDERS_JAR:-}" ] || provider_jar_fresh all-in-one || (cd "$REPO_ROOT" && mvn -B -q -DskipTests package -pl all-in-one -am)

CLOUD_CONFIG='#cloud-config
write_files:
- path: /etc/bench.conf
  content: bench
runcmd:
- mkdir -p /run/cluster-api && echo success > /run/cluster-api/bootstrap-success.complete'

# --- engine time: what the provider asks of the engine, done with the docker CLI
start=$(now)
docker run -d --name bench-engine --hostname bench-engine --network kind --cap-add ALL --cap-drop SYS_RESOURCE \
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined \
  --device-cgroup-rule 'a *:* rwm' --cgroupns=private --tmpfs /run --tmpfs /tmp -v /var -t "$IMAGE" >/dev/null
until [ "$(docker exec bench-engine systemctl is-system-running 2>/dev/null)" = running ] ||
  [ "$(docker exec bench-engine systemctl is-system-running 2>/dev/null)" = degraded ]; do sleep 0.1; done
docker exec -i bench-engine sh -c 'mkdir -p /etc && cat > /etc/bench.conf' <<<"bench"
docker exec bench-engine sh -c 'mkdir -p /run/cluster-api && echo success > /run/cluster-api/bootstrap-success.complete'
engine=$(echo "$(now) - $start" | bc)
docker rm -f -v bench-engine >/dev/null

# --- the providers: all three in one process, as hack/quickstart.sh runs them (the lite machines keep the bootstrap
# and control plane providers idle)
# shellcheck disable=SC2086
KUBECONFIG="$KUBECONFIG" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx192m ${BENCH_JVM_ARGS:-} \
  -jar "$JAR" --namespace=$NS \
  --health-addr=127.0.0.1:0 --diagnostics-address=127.0.0.1:0 \
  >"$WORK/provider.log" 2>&1 &
echo $! >"$WORK/provider.pid"
PID=$(cat "$WORK/provider.pid")
"$KUBECTL" create namespace $NS >/dev/null
"$KUBECTL" -n $NS create secret generic bench-data --type=cluster.x-k8s.io/secret \
  --from-literal=value="$CLOUD_CONFIG" --from-literal=format=cloud-config >/dev/null
# the plane plays the workload cluster: its kubeconfig is the cluster's, so the provider patches real Nodes
"$KUBECTL" -n $NS create secret generic $CLUSTER-kubeconfig --type=cluster.x-k8s.io/secret \
  --from-file=value="$KUBECONFIG" >/dev/null
"$KUBECTL" -n $NS label secret $CLUSTER-kubeconfig cluster.x-k8s.io/cluster-name=$CLUSTER >/dev/null
cat <<EOF | "$KUBECTL" apply -f - >/dev/null
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: {name: $CLUSTER, namespace: $NS}
spec:
  infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerCluster, name: $CLUSTER}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DockerCluster
metadata: {name: $CLUSTER, namespace: $NS}
spec: {}
EOF
"$KUBECTL" -n $NS wait --for=jsonpath='{.status.initialization.infrastructureProvisioned}'=true cluster/$CLUSTER \
  --timeout=120s >/dev/null
sleep 10
rest=$(rss_mib "$PID")
started_cpu=$(cpu_seconds "$PID")

machine() {
  cat <<EOF
apiVersion: v1
kind: Node
metadata: {name: $CLUSTER-$1}
---
apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
kind: DockerMachine
metadata: {name: $1, namespace: $NS, labels: {cluster.x-k8s.io/cluster-name: $CLUSTER}}
spec: {}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: Machine
metadata: {name: $1, namespace: $NS, labels: {cluster.x-k8s.io/cluster-name: $CLUSTER}}
spec:
  clusterName: $CLUSTER
  version: $KUBERNETES_VERSION
  bootstrap: {dataSecretName: bench-data}
  infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachine, name: $1}
EOF
}

# --- one machine, alone
start=$(now)
machine m0 | "$KUBECTL" apply -f - >/dev/null
"$KUBECTL" -n $NS wait --for=condition=Ready dockermachine/m0 --timeout=300s >/dev/null
one=$(echo "$(now) - $start" | bc)

# --- N machines at once
audit_from=$(($(wc -l <"$TESTENV_AUDIT_LOG") + 1))
cpu_before=$(cpu_seconds "$PID")
start=$(now)
for i in $(seq 1 "$N"); do machine "m$i"; echo "---"; done | "$KUBECTL" apply -f - >/dev/null
"$KUBECTL" -n $NS wait --for=condition=Ready dockermachine --all --timeout=900s >/dev/null
many=$(echo "$(now) - $start" | bc)
cpu_many=$(echo "$(cpu_seconds "$PID") - $cpu_before" | bc)
requests=$(provider_requests "$audit_from")
sleep 5
loaded=$(rss_mib "$PID")

printf 'one machine: %.1f s (engine %.1f s, provider overhead %.1f s)\n' "$one" "$engine" "$(echo "$one - $engine" | bc)"
printf '%d machines at once: %.1f s (%.2f s per machine)\n' "$N" "$many" "$(echo "$many / $N" | bc -l)"
printf 'provider resident memory: %s MiB at rest, %s MiB with %d machines\n' "$rest" "$loaded" "$((N + 1))"
printf 'provider CPU: %s s to start and settle; %s s for the %d machines (%.0f%% of that run'"'"'s wall time)\n' \
  "$started_cpu" "$cpu_many" "$N" "$(echo "100 * $cpu_many / $many" | bc -l)"
printf 'API requests by the provider for the %d machines: %d (%.1f per machine)\n' "$N" "$requests" \
  "$(echo "$requests / $N" | bc -l)"
