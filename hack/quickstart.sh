#!/usr/bin/env bash
# The main job: a Kubernetes workload cluster made of Docker containers, from nothing.
#
#   hack/quickstart.sh                    engine, tools, images, management plane (or the cluster of your KUBECONFIG,
#                                         which must run CAPI core), our three providers, then the default cluster
#                                         (one control-plane machine, one worker); waits until its nodes are Ready
#   hack/quickstart.sh --manifest FILE    the same with your own cluster manifest (any namespace it names)
#   hack/quickstart.sh --podman [...]     the same on Podman: installs Debian's podman when missing, starts its
#                                         Docker-compatible service (hack/podman.sh) and copies the images into it;
#                                         so does DOCKER_HOST=unix:///run/podman/podman.sock (any Podman socket)
#   hack/quickstart.sh delete [NAME]      deletes the cluster (default: capi-quickstart) and checks nothing is left
#   hack/quickstart.sh management [NAME]  a management cluster of containers, where users elsewhere run kind: one
#                                         node (default name capi-management) with the host's Docker socket and the
#                                         operator images loaded, then `clusterctl init` of CAPI core and our
#                                         providers into it from the offline repository; prints CLUSTERCTL_CONFIG=
#                                         and KUBECONFIG= of that cluster, ready for `clusterctl generate cluster`;
#                                         with --no-init only the cluster (for a suite that runs clusterctl init)
#   hack/quickstart.sh down               stops our providers and the management plane this script started
#
# State, logs and kubeconfigs live in target/quickstart/. The last lines printed are KUBECONFIG=<workload kubeconfig>
# and MANAGEMENT_KUBECONFIG=<management kubeconfig>.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE_DIR="$REPO_ROOT/target/quickstart"
LOG_DIR="$STATE_DIR/logs"
PLANE_DIR="$STATE_DIR/plane"
DEFAULT_CLUSTER=capi-quickstart
# the providers' modules: their images for a management cluster of containers (one Deployment each, as clusterctl
# installs them)
PROVIDERS=(capd-controller bootstrap-kubeadm controlplane-kubeadm)
# beside a local management plane the three run in one process (one JVM: a third of the memory)
LOCAL_PROVIDERS=all-in-one
STEP=""

step() { STEP="$1"; log "==> $1"; }
on_error() {
  log "FAILED during: $STEP"
  log "logs: $LOG_DIR (providers), $PLANE_DIR/logs (management plane, if started here)"
}
trap on_error ERR

kubectl_mgmt() { "$(bash "$HACK_DIR/tools.sh" --print-dir)/kubectl" --kubeconfig "$MANAGEMENT_KUBECONFIG" "$@"; }

management_plane() {
  mkdir -p "$LOG_DIR"
  if [ -n "${KUBECONFIG:-}" ] && [ "$KUBECONFIG" != "$PLANE_DIR/admin.kubeconfig" ]; then
    step "using the management cluster of KUBECONFIG=$KUBECONFIG"
    MANAGEMENT_KUBECONFIG="$KUBECONFIG"
    kubectl_mgmt get crd clusters.cluster.x-k8s.io >/dev/null 2>&1 ||
      die "the cluster of KUBECONFIG has no Cluster API core (install it with clusterctl init, or unset KUBECONFIG to get a local management plane)"
  else
    step "starting the local management plane (etcd, kube-apiserver, kube-controller-manager, CAPI core)"
    MANAGEMENT_KUBECONFIG=$(TESTENV_DIR="$PLANE_DIR" "$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
  fi
  echo "$MANAGEMENT_KUBECONFIG" >"$STATE_DIR/management-kubeconfig-path"
}

# A provider jar is stale when a main source or pom of the modules it is built from is newer than it.
jars_fresh() {
  provider_jar_fresh "$LOCAL_PROVIDERS"
}

start_providers() {
  if jars_fresh; then
    step "our providers are built"
  else
    step "building our providers (mvn package)"
    (cd "$REPO_ROOT" && mvn -B -q -ntp -DskipTests package -pl "$LOCAL_PROVIDERS" -am) \
      >"$LOG_DIR/build.log" 2>&1 || { tail -n 30 "$LOG_DIR/build.log" >&2; false; }
  fi
  step "installing our CRDs"
  # the CRD files only: kubectl reads a directory's subdirectories too, and policies have no Established condition
  local crd crd_files=()
  for crd in "$REPO_ROOT"/crds/*.yaml; do crd_files+=(-f "$crd"); done
  kubectl_mgmt apply --server-side --force-conflicts "${crd_files[@]}" >/dev/null
  kubectl_mgmt wait --for condition=established --timeout=60s "${crd_files[@]}" >/dev/null
  kubectl_mgmt apply --server-side --force-conflicts -f "$REPO_ROOT/crds/policies/" >/dev/null
  local p=$LOCAL_PROVIDERS wanted old engine=()
  [ -n "$ENGINE_HOST" ] && engine=(DOCKER_HOST="$ENGINE_HOST")
  # processes of one provider each, from before the providers ran in one process
  for old in "${PROVIDERS[@]}"; do stop_provider "$old"; done
  # a running process is kept only when it runs this build against this management cluster
  wanted="$MANAGEMENT_KUBECONFIG $(stat -c %Y "$REPO_ROOT/$p/target/$p.jar") ${ENGINE_HOST:-dockerd}"
  if [ -f "$STATE_DIR/$p.pid" ] && kill -0 "$(cat "$STATE_DIR/$p.pid")" 2>/dev/null; then
    [ "$(cat "$STATE_DIR/$p.runs" 2>/dev/null)" = "$wanted" ] && return 0
    step "restarting our providers (a new build, another management cluster or another engine)"
    stop_provider "$p"
  fi
  step "starting our providers, docker, bootstrap and control-plane, in one process (log: $LOG_DIR/$p.log)"
  # probes and metrics on free loopback ports (the log says which). A controller's JVM: the serial collector and a
  # heap bounded near the live set (about 60 MiB with a cluster), C1 only (reconciles wait on the API server and the
  # engine, not on compiled code), small thread stacks: idle at about 170 MiB resident and 3.5 s of start-up CPU, where
  # the JVM's defaults take 181 MiB and 5.9 s (three processes: 459 MiB and 12.3 s); with watches streamed over one
  # HTTP/2 connection (provider-core ManagementClient) and the class-data archive below: 146 MiB and 2.1 s
  # Class-data sharing: the first run of a build records the classes it loaded when it stops (`down`, or a restart for
  # a new build), later runs of that build map them instead of loading and verifying them again (measured: start-up
  # CPU 3.2 -> 2.4 s, resident 172 -> 165 MiB)
  local jsa cds
  jsa="$STATE_DIR/$p-$(stat -c %Y "$REPO_ROOT/$p/target/$p.jar").jsa"
  if [ -f "$jsa" ]; then cds="-XX:SharedArchiveFile=$jsa"; else rm -f "$STATE_DIR/$p"-*.jsa; cds="-XX:ArchiveClassesAtExit=$jsa"; fi
  env "${engine[@]}" KUBECONFIG="$MANAGEMENT_KUBECONFIG" setsid nohup java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx192m \
    "$cds" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off \
    -jar "$REPO_ROOT/$p/target/$p.jar" \
    --health-addr=127.0.0.1:0 --diagnostics-address=127.0.0.1:0 \
    >"$LOG_DIR/$p.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/$p.pid"
  echo "$wanted" >"$STATE_DIR/$p.runs"
  sleep 3
  kill -0 "$(cat "$STATE_DIR/$p.pid")" 2>/dev/null || { tail -n 30 "$LOG_DIR/$p.log" >&2; die "our providers exited"; }
}

apply_cluster() {
  local manifest=$1
  if [ -z "$manifest" ]; then
    manifest="$STATE_DIR/$DEFAULT_CLUSTER.yaml"
    CLUSTER_NAME=$DEFAULT_CLUSTER NAMESPACE=default KUBERNETES_VERSION=$KUBERNETES_VERSION \
      CONTROL_PLANE_MACHINE_COUNT=1 WORKER_MACHINE_COUNT=1 \
      envsubst <"$REPO_ROOT/templates/quickstart-cluster.yaml" >"$manifest"
  fi
  step "applying $manifest"
  kubectl_mgmt apply -f "$manifest" >/dev/null
  CLUSTERS=$(kubectl_mgmt get -f "$manifest" -o jsonpath='{range .items[?(@.kind=="Cluster")]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}' 2>/dev/null)
  [ -n "$CLUSTERS" ] || die "$manifest has no Cluster"
  # which engine runs each cluster's containers, for `delete` to check (empty: dockerd)
  local c
  for c in $CLUSTERS; do echo "$ENGINE_HOST" >"$STATE_DIR/${c#*/}.engine"; done
}

wait_for_cluster() {
  local ns=${1%/*} name=${1#*/}
  local deadline=$((SECONDS + 900)) kubeconfig="$STATE_DIR/$name.kubeconfig"
  step "waiting for the machines of $ns/$name"
  while :; do
    local phases
    phases=$(kubectl_mgmt get machines -n "$ns" -l "cluster.x-k8s.io/cluster-name=$name" \
      -o jsonpath='{range .items[*]}{.metadata.name}={.status.phase} {end}' 2>/dev/null || true)
    # every Machine Running, and the Cluster Available: CAPI core's summary that the control plane and every
    # MachineDeployment and MachinePool have what they want (a pool's Machines appear only after its instances do)
    available=$(kubectl_mgmt get cluster -n "$ns" "$name" \
      -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null || true)
    log "   machines: ${phases:-none yet} (Cluster Available: ${available:-unknown})"
    if [ -n "$phases" ] && [ "$available" = "True" ] \
      && ! grep -qvE '=Running$' <(tr ' ' '\n' <<<"$phases" | grep .); then break; fi
    [ $SECONDS -lt $deadline ] || die "machines of $ns/$name not all Running, or the Cluster not Available, after 15 minutes"
    sleep 10
  done
  step "waiting for the nodes of $ns/$name to be Ready"
  kubectl_mgmt get secret -n "$ns" "$name-kubeconfig" -o jsonpath='{.data.value}' | base64 -d >"$kubeconfig"
  chmod 600 "$kubeconfig"
  until "$(bash "$HACK_DIR/tools.sh" --print-dir)/kubectl" --kubeconfig "$kubeconfig" wait --for condition=Ready \
    nodes --all --timeout=30s >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "nodes of $ns/$name not Ready"
    log "   nodes not Ready yet"
  done
  "$(bash "$HACK_DIR/tools.sh" --print-dir)/kubectl" --kubeconfig "$kubeconfig" get nodes -o wide >&2
  LAST_KUBECONFIG=$kubeconfig
}

# The Kubernetes versions a manifest names (Machines, MachineDeployments, MachinePools, KubeadmControlPlanes, topologies),
# each once, with its leading v.
manifest_versions() {
  grep -E '^[[:space:]]*version:[[:space:]]*["'"'"']?v?[0-9]+\.[0-9]+\.[0-9]+' "$1" |
    sed -E 's/^[[:space:]]*version:[[:space:]]*["'"'"']?v?([0-9]+\.[0-9]+\.[0-9]+[^"'"'"'[:space:]]*).*/v\1/' | sort -u
}

# The engine our providers use: empty for dockerd (DOCKER_HOST or the default socket), else Podman's socket. Images are
# built by dockerd either way (offline, hack/images.sh) and copied into Podman.
ENGINE_HOST=""
choose_engine() {
  local podman=$1
  if $podman; then
    step "Podman (its Docker-compatible service)"
    ENGINE_HOST=$("$HACK_DIR/podman.sh" | sed -n 's/^DOCKER_HOST=//p')
  elif [ -n "${DOCKER_HOST:-}" ] && podman_answers "$DOCKER_HOST"; then
    ENGINE_HOST=$DOCKER_HOST
    step "Podman at DOCKER_HOST=$ENGINE_HOST"
  fi
  if [ -n "$ENGINE_HOST" ]; then unset DOCKER_HOST; fi
}

create() {
  local manifest="" podman=false
  while [ $# -gt 0 ]; do
    case "$1" in
      --manifest) manifest=$(realpath "${2:?--manifest needs a file}"); [ -f "$manifest" ] || die "no such manifest: $2"; shift ;;
      --podman) podman=true ;;
      *) die "unknown option $1" ;;
    esac
    shift
  done
  mkdir -p "$STATE_DIR"
  local start=$SECONDS node_images=("kindest/node:$KUBERNETES_VERSION")
  choose_engine $podman
  step "Docker engine"; "$HACK_DIR/docker.sh"
  step "Kubernetes and Cluster API binaries"; "$HACK_DIR/tools.sh" node >/dev/null
  step "images (load balancer, node)"; "$HACK_DIR/images.sh"
  if [ -n "$manifest" ]; then
    local versions v
    versions=$(manifest_versions "$manifest" | grep -vx "$KUBERNETES_VERSION" || true)
    if [ -n "$versions" ]; then
      # offline nothing can be pulled: the node image of every other release the manifest names is built first
      step "node images of Kubernetes $(echo $versions) (the manifest names them)"
      "$HACK_DIR/images.sh" node $versions
      for v in $versions; do node_images+=("kindest/node:$v"); done
    fi
  fi
  if [ -n "$ENGINE_HOST" ]; then
    step "images into Podman"
    PODMAN_SOCKET=${ENGINE_HOST#unix://} "$HACK_DIR/podman.sh" images "$HAPROXY_IMAGE" "${node_images[@]}"
  fi
  management_plane
  start_providers
  apply_cluster "$manifest"
  local c
  for c in $CLUSTERS; do wait_for_cluster "$c"; done
  log "done in $((SECONDS - start))s"
  echo "KUBECONFIG=$LAST_KUBECONFIG"
  echo "MANAGEMENT_KUBECONFIG=$MANAGEMENT_KUBECONFIG"
}

# The quick-start template with one control-plane machine, no worker, and the control-plane machines' spec (the first
# `    spec: {}`, the DockerMachineTemplate's) mounting the engine's socket and pre-loading the images, as `kind load`.
management_manifest() {
  local name=$1 out=$2 images
  images=$(printf '%s, ' "${@:3}")
  CLUSTER_NAME=$name NAMESPACE=default KUBERNETES_VERSION=$KUBERNETES_VERSION \
    CONTROL_PLANE_MACHINE_COUNT=1 WORKER_MACHINE_COUNT=0 \
    envsubst <"$REPO_ROOT/templates/quickstart-cluster.yaml" |
    awk -v images="[${images%, }]" '
      !done && $0 == "    spec: {}" {
        print "    spec:"
        print "      extraMounts:"
        print "      - {containerPath: /var/run/docker.sock, hostPath: /var/run/docker.sock}"
        print "      preLoadImages: " images
        done = 1; next
      }
      { print }' >"$out"
}

management() {
  local name=capi-management init=true start=$SECONDS version config clusterctl m images=()
  while [ $# -gt 0 ]; do
    case "$1" in --no-init) init=false ;; -*) die "management: unknown option $1" ;; *) name=$1 ;; esac
    shift
  done
  mkdir -p "$STATE_DIR"
  step "Docker engine"; "$HACK_DIR/docker.sh"
  step "Kubernetes and Cluster API binaries"; "$HACK_DIR/tools.sh" node >/dev/null
  step "images (load balancer, node)"; "$HACK_DIR/images.sh"
  management_plane
  start_providers
  step "operator images (ours from the jars just built, CAPI core's from its Go-built manager)"
  "$HACK_DIR/images.sh" operators >"$LOG_DIR/operator-images.log" 2>&1 || { tail -n 30 "$LOG_DIR/operator-images.log" >&2; false; }
  version=$(operator_version)
  for m in "${PROVIDERS[@]}"; do images+=("docker.io/capd-java/$m:$version"); done
  images+=("docker.io/capd-java/cluster-api-controller:$CAPI_VERSION")
  management_manifest "$name" "$STATE_DIR/$name.yaml" "${images[@]}"
  apply_cluster "$STATE_DIR/$name.yaml"
  wait_for_cluster "default/$name"
  if ! $init; then
    log "management cluster $name ready in $((SECONDS - start))s (nothing installed into it: --no-init)"
    echo "KUBECONFIG=$LAST_KUBECONFIG"
    return 0
  fi
  step "clusterctl repository (offline)"
  config=$("$HACK_DIR/clusterctl-repo.sh" --offline "$STATE_DIR/clusterctl-repo" 2>>"$LOG_DIR/clusterctl.log" |
    sed -n 's/^CLUSTERCTL_CONFIG=//p')
  step "clusterctl init into $name (CAPI core and our three providers as pods)"
  clusterctl="$(bash "$HACK_DIR/tools.sh" --print-dir)/clusterctl"
  "$clusterctl" init --kubeconfig "$LAST_KUBECONFIG" --config "$config" \
    --infrastructure javadocker --bootstrap javakubeadm --control-plane javakubeadm \
    --wait-providers --wait-provider-timeout 600 >>"$LOG_DIR/clusterctl.log" 2>&1 ||
    { tail -n 30 "$LOG_DIR/clusterctl.log" >&2; false; }
  log "management cluster $name ready in $((SECONDS - start))s; next:"
  log "   export KUBECONFIG=$LAST_KUBECONFIG"
  log "   clusterctl generate cluster my-cluster --config $config --infrastructure javadocker \\"
  log "     --kubernetes-version $KUBERNETES_VERSION --worker-machine-count 1 | kubectl apply -f -"
  echo "CLUSTERCTL_CONFIG=$config"
  echo "KUBECONFIG=$LAST_KUBECONFIG"
}

delete() {
  local name=${1:-$DEFAULT_CLUSTER} ns
  [ -f "$STATE_DIR/management-kubeconfig-path" ] || die "no management cluster recorded in $STATE_DIR"
  MANAGEMENT_KUBECONFIG=$(cat "$STATE_DIR/management-kubeconfig-path")
  ns=$(kubectl_mgmt get clusters -A -o jsonpath="{range .items[?(@.metadata.name==\"$name\")]}{.metadata.namespace}{end}")
  [ -n "$ns" ] || die "no Cluster named $name"
  step "deleting Cluster $ns/$name"
  local start=$SECONDS
  kubectl_mgmt delete cluster -n "$ns" "$name" --wait --timeout=10m >/dev/null
  step "checking that nothing of $name is left"
  local containers secrets engine
  engine=$(cat "$STATE_DIR/$name.engine" 2>/dev/null || true)
  containers=$(if [ -n "$engine" ]; then export DOCKER_HOST=$engine; fi; docker ps -aq --filter "label=io.x-k8s.kind.cluster=$name")
  secrets=$(kubectl_mgmt get secrets -n "$ns" -l "cluster.x-k8s.io/cluster-name=$name" -o name)
  [ -z "$containers" ] || die "containers of $name are left: $containers"
  [ -z "$secrets" ] || die "secrets of $name are left: $secrets"
  rm -f "$STATE_DIR/$name.kubeconfig" "$STATE_DIR/$name.engine"
  log "Cluster $ns/$name deleted in $((SECONDS - start))s; no container, volume or secret of it is left"
}

# Stops a provider and waits until it is gone, so a successor never runs beside it.
stop_provider() {
  local p=$1 pid i
  pid=$(cat "$STATE_DIR/$p.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$STATE_DIR/$p.pid" "$STATE_DIR/$p.runs"
}

down() {
  local p
  for p in "$LOCAL_PROVIDERS" "${PROVIDERS[@]}"; do stop_provider "$p"; done
  [ -d "$PLANE_DIR" ] && TESTENV_DIR="$PLANE_DIR" "$HACK_DIR/testenv.sh" down
  log "providers and local management plane stopped"
}

case "${1:-}" in
  delete) shift; delete "$@" ;;
  management) shift; management "$@" ;;
  down) down ;;
  ""|--manifest|--podman) create "$@" ;;
  *) die "usage: $0 [--podman] [--manifest FILE] | management [NAME] [--no-init] | delete [NAME] | down" ;;
esac
