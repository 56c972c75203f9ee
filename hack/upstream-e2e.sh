#!/usr/bin/env bash
# Upstream Cluster API's own e2e suite (Go module sigs.k8s.io/cluster-api/test at $CAPI_VERSION), unchanged, against
# our providers.
#
#   hack/upstream-e2e.sh [--list] [--keep] [--focus REGEX] [SPEC...]
#
# SPEC is a short name (see SPECS below; default: quick-start); --focus takes any regex of upstream's spec texts
# instead. --list prints the short names and the texts they stand for. --keep leaves the management cluster up.
# The upgrade specs start from UPGRADE_FROM (default: UPGRADE_FROM_VERSION of hack/versions.env; its node image is
# built first, about 7 minutes cold).
#
# What it does:
#   1. the Docker engine, the Go-built binaries, the node/LB images and the operator images (as hack/quickstart.sh);
#   2. builds upstream's e2e test binary (hack/tools.sh e2e: `go test -c sigs.k8s.io/cluster-api/test/e2e`);
#   3. renders upstream's e2e cluster templates from the module's kustomize sources (kubectl's built-in kustomize),
#      lays out CAPI core and our providers as clusterctl sees them (hack/clusterctl-repo.sh --offline), and writes an
#      e2e config of its own: our components registered under upstream's provider names (docker, kubeadm, kubeadm),
#      so upstream's specs find them as they find CAPD, CABPK and KCP; the variables upstream's docker.yaml sets, set
#      to what we build; upstream's timeouts times E2E_INTERVAL_FACTOR (default 2: this is a 2-core machine), the
#      durations something must stay stable for left as upstream's;
#   4. a management cluster: the cluster of KUBECONFIG when one is given (it must be able to run the providers' pods
#      against this host's engine, as kind with the Docker socket mounted does), otherwise one of containers made by
#      `hack/quickstart.sh management NAME --no-init`; the suite itself runs `clusterctl init` into it, as upstream's
#      does into kind;
#   5. runs the suite with -e2e.use-existing-cluster=true and prints one line per spec:
#        PASS <name> <seconds>   or   FAIL <name> <seconds> <first failed assertion>
#      then `N passed, M failed`; exits non-zero on any failure. Artifacts (upstream's log collection, its JUnit
#      report, ginkgo's log) are under target/upstream-e2e/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUT="$REPO_ROOT/target/upstream-e2e"
MANAGEMENT=capi-e2e
INTERVAL_FACTOR="${E2E_INTERVAL_FACTOR:-2}"
TEST_SRC="$TOOLS_DIR/cluster-api-test-src"
BIN_DIR="$TOOLS_DIR/bin"

# short name -> regex of upstream's spec text (ginkgo's full text: the Describe text, then the It text)
declare -A SPECS=(
  [quick-start]='^When following the Cluster API quick-start Should create a workload cluster'
  [quick-start-clusterclass]='^When following the Cluster API quick-start with ClusterClass \[PR-Blocking\]'
  [md-scale]='^When testing MachineDeployment scale out/in '
  [md-remediation]='^When testing MachineDeployment remediation '
  [kcp-remediation]='^When testing KCP remediation '
  [kcp-adoption]='^When testing KCP adoption '
  [self-hosted]='^When testing Cluster API working on self-hosted clusters using ClusterClass \[ClusterClass\]'
  [cluster-upgrade]='^When upgrading a workload cluster using ClusterClass \[ClusterClass\]'
  [clusterclass-changes]='^When testing ClusterClass changes '
  [clusterclass-rollout]='^When testing ClusterClass rollouts '
  [node-drain]='^When testing Node drain '
  [machine-pool]='^When testing MachinePools '
  [cluster-deletion]='^When performing cluster deletion with ClusterClass '
)
SPEC_ORDER=(quick-start quick-start-clusterclass md-scale md-remediation kcp-remediation kcp-adoption self-hosted
  cluster-upgrade clusterclass-changes clusterclass-rollout node-drain machine-pool cluster-deletion)

usage() { die "usage: $0 [--list] [--keep] [--focus REGEX] [SPEC...] (SPEC: ${SPEC_ORDER[*]})"; }

list_specs() {
  local s
  for s in "${SPEC_ORDER[@]}"; do printf '%-26s %s\n' "$s" "${SPECS[$s]}"; done
}

# Upstream's e2e cluster templates: each kustomize folder of data/infrastructure-docker/main rendered to
# <folder>.yaml, the plain files copied; all unchanged.
render_templates() {
  local dest=$1 src="$TEST_SRC/e2e/data/infrastructure-docker/main" d f
  rm -rf "$dest" && mkdir -p "$dest"
  for d in "$src"/cluster-template* "$src"/clusterclass-*; do
    if [ -d "$d" ]; then
      [ -f "$d/kustomization.yaml" ] || continue # kcp-adoption's steps are rendered by the spec itself from step folders
      "$BIN_DIR/kubectl" kustomize --load-restrictor LoadRestrictionsNone "$d" >"$dest/$(basename "$d").yaml"
    else
      cp "$d" "$dest/"
    fi
  done
  # kcp-adoption: upstream's Makefile renders its two steps into one template, step1 then step2
  if [ -d "$src/cluster-template-kcp-adoption" ]; then
    {
      "$BIN_DIR/kubectl" kustomize --load-restrictor LoadRestrictionsNone "$src/cluster-template-kcp-adoption/step1"
      echo "---"
      "$BIN_DIR/kubectl" kustomize --load-restrictor LoadRestrictionsNone "$src/cluster-template-kcp-adoption/step2"
    } >"$dest/cluster-template-kcp-adoption.yaml"
  fi
  chmod -R u+w "$dest"
}

# upstream's interval "5m" times the factor, in seconds
scaled() { local v=$1 n unit; n=${v%[smh]}; unit=${v: -1}
  case $unit in s) echo "$((n * INTERVAL_FACTOR))s" ;; m) echo "$((n * 60 * INTERVAL_FACTOR))s" ;; h) echo "$((n * 3600 * INTERVAL_FACTOR))s" ;; esac
}

# The etcd image tag kubeadm of the default release deploys (our node image has etcd under that name).
etcd_tag_of_default_release() {
  "$BIN_DIR/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null | awk -F: '/\/etcd:/{print $NF}'
}

write_config() {
  local repo=$1 templates=$2 config=$3 version f line key a b
  version=$(operator_version)
  provider() { # name type version components metadata [files...]
    printf -- '- name: %s\n  type: %s\n  versions:\n  - name: %s\n    value: "%s"\n    type: url\n    contract: v1beta2\n    files:\n' "$1" "$2" "$3" "$4"
    printf '    - sourcePath: "%s"\n' "${@:5}"
  }
  {
    echo "# Written by hack/upstream-e2e.sh: upstream's e2e suite ($CAPI_VERSION) against capd-java's providers."
    echo "managementClusterName: $MANAGEMENT"
    echo "images:" # what the self-hosted spec loads into the cluster it moves to
    for m in capd-controller bootstrap-kubeadm controlplane-kubeadm; do
      printf -- '- name: docker.io/capd-java/%s:%s\n  loadBehavior: tryLoad\n' "$m" "$version"
    done
    printf -- '- name: docker.io/capd-java/cluster-api-controller:%s\n  loadBehavior: tryLoad\n' "$CAPI_VERSION"
    echo "providers:"
    provider cluster-api CoreProvider "$CAPI_VERSION" "$repo/cluster-api/$CAPI_VERSION/core-components.yaml" \
      "$repo/cluster-api/$CAPI_VERSION/metadata.yaml"
    provider kubeadm BootstrapProvider "$version" "$repo/bootstrap-javakubeadm/$version/bootstrap-components.yaml" \
      "$repo/bootstrap-javakubeadm/$version/metadata.yaml"
    provider kubeadm ControlPlaneProvider "$version" \
      "$repo/control-plane-javakubeadm/$version/control-plane-components.yaml" \
      "$repo/control-plane-javakubeadm/$version/metadata.yaml"
    provider docker InfrastructureProvider "$version" "$repo/infrastructure-javadocker/$version/infrastructure-components.yaml" \
      "$repo/infrastructure-javadocker/$version/metadata.yaml" "$templates"/*.yaml
    provider test-extension RuntimeExtensionProvider "$CAPI_VERSION" \
      "$repo/runtime-extension-test-extension/$CAPI_VERSION/runtime-extension-components.yaml" \
      "$repo/runtime-extension-test-extension/$CAPI_VERSION/metadata.yaml"
    cat <<EOF
variables:
  KUBERNETES_VERSION_MANAGEMENT: "$KUBERNETES_VERSION"
  KUBERNETES_VERSION: "$KUBERNETES_VERSION"
  # the upgrade specs go from UPGRADE_FROM (its node image built when they run) to the default release, with etcd and
  # CoreDNS at the tags the default release's kubeadm names (the default node image holds them)
  KUBERNETES_VERSION_CHAINED_UPGRADE_FROM: "$UPGRADE_SPECS_FROM"
  KUBERNETES_VERSION_UPGRADE_FROM: "$UPGRADE_SPECS_FROM"
  KUBERNETES_VERSION_UPGRADE_TO: "$KUBERNETES_VERSION"
  ETCD_VERSION_UPGRADE_TO: "$(etcd_tag_of_default_release)"
  COREDNS_VERSION_UPGRADE_TO: "$COREDNS_VERSION"
  DOCKER_SERVICE_DOMAIN: "cluster.local"
  IP_FAMILY: "IPv4"
  DOCKER_SERVICE_CIDRS: "10.128.0.0/12"
  DOCKER_POD_CIDRS: "192.168.0.0/16"
  DOCKER_SERVICE_IPV6_CIDRS: "fd00:100:64::/108"
  DOCKER_POD_IPV6_CIDRS: "fd00:100:96::/48"
  # our node image has its pod network built in (node-cni) and pulls nothing
  DOCKER_PRELOAD_IMAGES: "[]"
  CNI: "$OUT/cni-node-network.yaml"
  KUBETEST_CONFIGURATION: "$TEST_SRC/e2e/data/kubetest/conformance.yaml"
  AUTOSCALER_WORKLOAD: "$TEST_SRC/e2e/data/autoscaler/autoscaler-to-workload-workload.yaml"
  EXP_CLUSTER_RESOURCE_SET: "true"
  EXP_MACHINE_POOL: "true"
  EXP_KUBEADM_BOOTSTRAP_FORMAT_IGNITION: "true"
  CLUSTER_TOPOLOGY: "true"
  EXP_RUNTIME_SDK: "true"
  EXP_MACHINE_SET_PREFLIGHT_CHECKS: "true"
  EXP_PRIORITY_QUEUE: "true"
  EXP_RECONCILER_RATE_LIMITING: "true"
  EXP_IN_PLACE_UPDATES: "true"
  EXP_MACHINE_TAINT_PROPAGATION: "true"
  CAPI_DIAGNOSTICS_ADDRESS: ":8080"
  CAPI_INSECURE_DIAGNOSTICS: "true"
  CLUSTERCTL_DISABLE_VERSIONCHECK: "true"
intervals:
EOF
    # upstream's intervals, the timeouts scaled
    sed -n '/^intervals:/,$p' "$TEST_SRC/e2e/config/docker.yaml" | grep -E '^ +[a-z-]+/[a-z-]+: \[' |
      while IFS= read -r line; do
        key=${line%%:*}; a=$(echo "$line" | sed -E 's/.*\["([^"]+)", *"([^"]+)"\].*/\1/')
        b=$(echo "$line" | sed -E 's/.*\["([^"]+)", *"([^"]+)"\].*/\2/')
        # durations something must hold for (Consistently) stay as upstream's: scaling them only makes runs longer
        case $key in *remain-stable|*check-machines-stable) echo "$key: [\"$a\", \"$b\"]" ;;
          *) echo "$key: [\"$(scaled "$a")\", \"$b\"]" ;; esac
      done
  } >"$config"
}

# Upstream's framework reaches an in-memory workload cluster's API server (spec.backend.inMemory) by port-forwarding
# to the infrastructure provider's pod, which it looks for where CAPD lives: namespace capd-system, label
# control-plane=controller-manager (test/framework/cluster_proxy.go, inMemoryDialer). Our infrastructure components
# are installed there for the suite, as they are registered under upstream's provider name.
infrastructure_in_capd_system() {
  local components="$1/infrastructure-javadocker/$(operator_version)/infrastructure-components.yaml"
  [ -f "$components" ] || die "no infrastructure components at $components"
  sed -i 's/"capd-java-system"/"capd-system"/g' "$components"
  grep -q '"capd-java-system"' "$components" && die "capd-java-system is still named in $components"
  return 0
}

# Upstream's test extension (sigs.k8s.io/cluster-api/test/extension), the Runtime SDK extension upstream's docker.yaml
# installs as the RuntimeExtensionProvider `test-extension`: the in-memory ClusterClass (clusterclass-changes,
# clusterclass-rollout) takes its patches and variables from it. Built from the test module as the e2e binary is, as an
# image capd-java/test-extension:$CAPI_VERSION on the base image; its components rendered from the module's
# config/default with that image, and, as for CAPI core offline (hack/clusterctl-repo.sh), its webhook serving
# certificate issued here in place of cert-manager's Certificate (the secret the ExtensionConfig's CA comes from).
TEST_EXTENSION_IMAGE=docker.io/capd-java/test-extension:$CAPI_VERSION
test_extension() {
  local repo=$1 dir="$1/runtime-extension-test-extension/$CAPI_VERSION" bin="$BIN_DIR/test-extension"
  local wrapper="$CACHE_ROOT/src/capi-e2e-wrapper-$CAPI_VERSION" work pki svc inputs
  if [ ! -x "$bin" ]; then
    log "    building upstream's test extension"
    (cd "$wrapper" && CGO_ENABLED=0 GOFLAGS="-mod=mod -trimpath" go build -ldflags "-s -w" -o "$bin" \
      sigs.k8s.io/cluster-api/test/extension) >&2
  fi
  inputs=$(sha256sum <"$bin" | cut -c1-16)
  if [ "$(docker image inspect -f '{{index .Config.Labels "io.capdjava.inputs"}}' "$TEST_EXTENSION_IMAGE" 2>/dev/null)" != "$inputs" ]; then
    work=$(mktemp -d)
    cp "$bin" "$work/manager"
    printf 'FROM capd-java/debian-base:bookworm\nCOPY manager /manager\nUSER 65532:65532\nLABEL io.capdjava.inputs=%s\nENTRYPOINT ["/manager"]\n' \
      "$inputs" >"$work/Dockerfile"
    docker build -q -t "$TEST_EXTENSION_IMAGE" "$work" >/dev/null
    rm -rf "$work"
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$repo/cluster-api/$CAPI_VERSION/metadata.yaml" "$dir/metadata.yaml"
  pki="$repo/pki-test-extension"; svc=test-extension-webhook-service.test-extension-system.svc
  mkdir -p "$pki" && chmod 700 "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 3650 \
    -subj "/CN=capd-java offline test-extension CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/tls.key" -out "$pki/tls.csr" -subj "/CN=$svc" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:%s.cluster.local,DNS:localhost\nextendedKeyUsage=serverAuth\n' "$svc" "$svc" >"$pki/tls.ext"
  openssl x509 -req -in "$pki/tls.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
    -extfile "$pki/tls.ext" -out "$pki/tls.crt" 2>/dev/null
  rm -f "$pki/tls.csr" "$pki/tls.ext" "$pki/ca.srl"
  chmod 600 "$pki"/*.key
  {
    "$BIN_DIR/kubectl" kustomize --load-restrictor LoadRestrictionsNone "$TEST_SRC/extension/config/default" |
      sed -e "s|image: gcr.io/k8s-staging-cluster-api/test-extension:main|image: $TEST_EXTENSION_IMAGE|" \
        -e 's|imagePullPolicy: Always|imagePullPolicy: IfNotPresent|' |
      awk 'function flush() { if (doc != "" && ("\n" doc) !~ /\napiVersion: cert-manager\.io\//) printf "%s", doc; doc = "" }
        /^---$/ { flush(); doc = "---\n"; next } { doc = doc $0 "\n" } END { flush() }'
    printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: test-extension-webhook-service-cert\n'
    printf '  namespace: test-extension-system\n  labels:\n    cluster.x-k8s.io/provider: runtime-extension-test-extension\n'
    printf 'type: kubernetes.io/tls\ndata:\n  ca.crt: %s\n  tls.crt: %s\n  tls.key: %s\n' \
      "$(base64 -w0 <"$pki/ca.crt")" "$(base64 -w0 <"$pki/tls.crt")" "$(base64 -w0 <"$pki/tls.key")"
  } >"$dir/runtime-extension-components.yaml"
  chmod 600 "$dir/runtime-extension-components.yaml"
}

# The test extension's image into the management cluster's control-plane nodes, as `kind load` (the node's
# containerd; no --privileged).
load_test_extension_image() {
  local node
  for node in $(docker ps -q --filter "label=io.x-k8s.kind.cluster=$MANAGEMENT" --filter "label=io.x-k8s.kind.role=control-plane"); do
    docker save "$TEST_EXTENSION_IMAGE" | docker exec -i "$node" ctr -n k8s.io images import --digests - >/dev/null ||
      die "could not load $TEST_EXTENSION_IMAGE into the management cluster's node $node"
  done
}

# What upstream's CNI variable names is applied to each cluster by a ClusterResourceSet. Upstream applies kindnet,
# whose image cannot be pulled here; our node image brings its pod network (node-cni), so the set applies only a
# ConfigMap that says so.
write_cni() {
  cat >"$OUT/cni-node-network.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: capd-java-pod-network
  namespace: kube-system
data:
  note: "The pod network is node-cni, built into capd-java's node image (bridge + host routes); no CNI add-on is applied."
EOF
}

# kind's library, which upstream's suite uses to load images into a workload cluster (self-hosted spec), runs
# `docker exec --privileged`; this host refuses privileged execs as it refuses privileged containers
# (CAP_SYS_RESOURCE). The suite finds this docker first on its PATH: the same CLI, with --privileged dropped from exec
# (what kind runs there, ctr and cat as root in the node, needs no added capability).
write_docker_shim() {
  local real
  real=$(command -v docker) || die "no docker CLI"
  mkdir -p "$OUT/bin"
  cat >"$OUT/bin/docker" <<EOF
#!/usr/bin/env bash
# Written by hack/upstream-e2e.sh: docker, with --privileged dropped from exec (refused on this host).
if [ "\${1:-}" = exec ]; then
  args=()
  for a in "\$@"; do [ "\$a" = --privileged ] || args+=("\$a"); done
  exec "$real" "\${args[@]}"
fi
exec "$real" "\$@"
EOF
  chmod +x "$OUT/bin/docker"
}

# clusterctl init installs cert-manager from GitHub into a cluster without one: unreachable here. The suite points
# clusterctl at an overrides folder in its repository (empty upstream); the cert-manager API stand-in of
# hack/clusterctl-repo.sh --offline put there at the version clusterctl asks for is what it installs instead, into the
# management cluster and into the clusters the self-hosted spec moves to.
cert_manager_override() {
  local overrides=$1 version
  version=$(sed -n 's/.*CertManagerDefaultVersion *= *"\(v[^"]*\)".*/\1/p' \
    "$TOOLS_DIR/cluster-api-src/cmd/clusterctl/client/config/cert_manager_client.go")
  [ -n "$version" ] || die "could not read clusterctl's cert-manager version from the CAPI source"
  mkdir -p "$overrides/cert-manager/$version"
  cp "$OUT/clusterctl-repo/cert-manager/v0.0.0-api-only/cert-manager.yaml" "$overrides/cert-manager/$version/"
}

management_cluster() {
  if [ -n "${KUBECONFIG:-}" ]; then
    log "==> using the management cluster of KUBECONFIG=$KUBECONFIG"
    MANAGEMENT_KUBECONFIG=$KUBECONFIG
    OWN_MANAGEMENT=false
    return 0
  fi
  OWN_MANAGEMENT=true
  if docker ps -q --filter "label=io.x-k8s.kind.cluster=$MANAGEMENT" | grep -q .; then
    log "==> a management cluster $MANAGEMENT is left from an earlier run: deleting it"
    "$HACK_DIR/quickstart.sh" delete "$MANAGEMENT" >&2 || true
  fi
  log "==> management cluster $MANAGEMENT (hack/quickstart.sh management $MANAGEMENT --no-init)"
  MANAGEMENT_KUBECONFIG=$("$HACK_DIR/quickstart.sh" management "$MANAGEMENT" --no-init | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
  [ -f "$MANAGEMENT_KUBECONFIG" ] || die "hack/quickstart.sh management printed no kubeconfig"
}

cleanup() {
  if [ "${OWN_MANAGEMENT:-false}" = true ] && ! $KEEP; then
    # a spec that failed or was interrupted leaves its workload cluster (upstream's suite too): its containers are
    # on this host, and only the providers in the management cluster know them
    if [ -f "${MANAGEMENT_KUBECONFIG:-}" ]; then
      local clusters c left
      clusters=$("$BIN_DIR/kubectl" --kubeconfig "$MANAGEMENT_KUBECONFIG" get clusters -A \
        -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>/dev/null || true)
      if [ -n "$clusters" ]; then
        log "==> deleting the workload clusters left in $MANAGEMENT: $(echo $clusters)"
        "$BIN_DIR/kubectl" --kubeconfig "$MANAGEMENT_KUBECONFIG" delete clusters --all-namespaces --all --wait \
          --timeout=10m >&2 || log "    could not delete them all"
        # deleting a Cluster must remove its containers: anything left is a leak, reported and then removed
        for c in $clusters; do
          left=$(docker ps -aq --filter "label=io.x-k8s.kind.cluster=$c")
          if [ -n "$left" ]; then
            log "LEAK: containers of the deleted cluster $c are left: $(docker inspect -f '{{.Name}}' $left | tr '\n' ' ')"
            docker rm -f -v $left >/dev/null
            LEAKED=true
          fi
        done
      fi
    fi
    log "==> deleting the management cluster $MANAGEMENT"
    "$HACK_DIR/quickstart.sh" delete "$MANAGEMENT" >&2 || true
  fi
}

# One line per spec from upstream's JUnit report, then the totals; the exit status says whether all passed.
report() {
  local junit=$1
  local names=$OUT/spec-names.tsv s
  for s in "${SPEC_ORDER[@]}"; do printf '%s\t%s\n' "$s" "${SPECS[$s]}"; done >"$names"
  python3 - "$junit" "$names" <<'EOF'
import re, sys, xml.etree.ElementTree as ET
junit = sys.argv[1]
specs = [line.rstrip('\n').split('\t', 1) for line in open(sys.argv[2])]
def short(text):
    for name, rx in specs:
        if re.search(rx, text):
            return name
    return text
passed = failed = 0
for case in ET.parse(junit).getroot().iter('testcase'):
    name, status = case.get('name', ''), case.get('status', '')
    if status == 'skipped' or case.find('skipped') is not None or name.startswith('[SynchronizedAfterSuite]') or name.startswith('[ReportAfterSuite]'):
        continue
    seconds = round(float(case.get('time', '0')))
    failure = case.find('failure')
    if failure is None:
        failure = case.find('error')
    if name.startswith('[SynchronizedBeforeSuite]') and failure is None:
        continue
    label = short(re.sub(r'^\[It\] ', '', name))
    if failure is None:
        passed += 1
        print(f"PASS {label} {seconds}")
    else:
        failed += 1
        # ginkgo's message: the assertion ("Timed out after 300s.", "Expected ...") and what it got, on a few lines
        lines = [l.strip() for l in (failure.get('message') or failure.text or '').splitlines() if l.strip()]
        first = ' '.join(lines[:4]) or 'failed'
        first = first if len(first) <= 600 else first[:600] + '...'

        print(f"FAIL {label} {seconds} {first}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
EOF
}

main() {
  local focus="" names=() s
  KEEP=false
  LEAKED=false
  while [ $# -gt 0 ]; do
    case "$1" in
      --list) list_specs; return 0 ;;
      --keep) KEEP=true ;;
      --focus) focus=${2:?--focus needs a regex}; shift ;;
      -h|--help) usage ;;
      -*) usage ;;
      *) [ -n "${SPECS[$1]:-}" ] || die "unknown spec '$1' (known: ${SPEC_ORDER[*]}; or --focus REGEX)"; names+=("$1") ;;
    esac
    shift
  done
  if [ -z "$focus" ]; then
    [ ${#names[@]} -gt 0 ] || names=(quick-start)
    # ginkgo matches the suite's description ("capi-e2e"), a space, then the spec's text
    for s in "${names[@]}"; do focus+="${focus:+|}(${SPECS[$s]/#^/^capi-e2e })"; done
  fi
  mkdir -p "$OUT"
  local start=$SECONDS
  log "==> Docker engine, binaries, images"
  "$HACK_DIR/docker.sh" >"$OUT/setup.log" 2>&1 || { cat "$OUT/setup.log" >&2; die "hack/docker.sh failed"; }
  "$HACK_DIR/tools.sh" node >>"$OUT/setup.log" 2>&1 || { tail -n 30 "$OUT/setup.log" >&2; die "hack/tools.sh failed"; }
  "$HACK_DIR/images.sh" >>"$OUT/setup.log" 2>&1 || { tail -n 30 "$OUT/setup.log" >&2; die "hack/images.sh failed"; }
  # the upgrade specs start from an older release, whose node image is built only when one of them runs
  UPGRADE_SPECS_FROM=$KUBERNETES_VERSION
  if [[ " ${names[*]} " == *" cluster-upgrade "* ]] || [[ "$focus" == *[Uu]pgrad* ]]; then
    UPGRADE_SPECS_FROM=${UPGRADE_FROM:-$UPGRADE_FROM_VERSION}
    log "==> node image of Kubernetes $UPGRADE_SPECS_FROM, the upgrade specs' starting release"
    "$HACK_DIR/images.sh" node "$UPGRADE_SPECS_FROM" >>"$OUT/setup.log" 2>&1 ||
      { tail -n 5 "$OUT/setup.log" >&2; die "the node image of Kubernetes $UPGRADE_SPECS_FROM could not be built"; }
  fi
  log "==> upstream's e2e test binary ($CAPI_VERSION)"
  local e2e_test
  e2e_test=$("$HACK_DIR/tools.sh" e2e 2>>"$OUT/setup.log" | sed -n 's/^E2E_TEST=//p')
  [ -x "$e2e_test" ] || die "hack/tools.sh e2e built no test binary"
  log "==> operator images and the clusterctl repository"
  "$HACK_DIR/images.sh" operators >"$OUT/operator-images.log" 2>&1 || { tail -n 30 "$OUT/operator-images.log" >&2; die "hack/images.sh operators failed"; }
  "$HACK_DIR/clusterctl-repo.sh" --offline "$OUT/clusterctl-repo" >/dev/null 2>"$OUT/clusterctl-repo.log" ||
    { cat "$OUT/clusterctl-repo.log" >&2; die "hack/clusterctl-repo.sh failed"; }
  infrastructure_in_capd_system "$OUT/clusterctl-repo"
  test_extension "$OUT/clusterctl-repo" || die "upstream's test extension could not be built"
  render_templates "$OUT/templates"
  write_cni
  write_config "$OUT/clusterctl-repo" "$OUT/templates" "$OUT/e2e-config.yaml"
  log "    e2e config: $OUT/e2e-config.yaml (upstream's intervals x $INTERVAL_FACTOR)"
  trap cleanup EXIT
  management_cluster
  ! $OWN_MANAGEMENT || load_test_extension_image
  local artifacts="$OUT/artifacts" rc=0
  rm -rf "$artifacts" && mkdir -p "$artifacts"
  cert_manager_override "$artifacts/repository/overrides"
  log "==> running upstream's specs matching: $focus"
  # the framework's Docker log collector and kind's image loading use the docker CLI; kustomize as the framework
  # calls it is kubectl's
  write_docker_shim
  (cd "$TEST_SRC/e2e" && KUBECONFIG="$MANAGEMENT_KUBECONFIG" PATH="$OUT/bin:$BIN_DIR:$PATH" \
    "$e2e_test" -test.timeout 6h -ginkgo.v -ginkgo.focus "$focus" \
    -ginkgo.junit-report "$artifacts/junit.e2e_suite.xml" \
    -e2e.config "$OUT/e2e-config.yaml" -e2e.artifacts-folder "$artifacts" \
    -e2e.use-existing-cluster=true) >"$OUT/e2e.log" 2>&1 || rc=$?
  log "    suite exited $rc after $((SECONDS - start))s; its output: $OUT/e2e.log"
  [ -f "$artifacts/junit.e2e_suite.xml" ] || { tail -n 40 "$OUT/e2e.log" >&2; die "the suite wrote no report"; }
  local status=0
  report "$artifacts/junit.e2e_suite.xml" || status=$?
  cleanup
  trap - EXIT
  ! $LEAKED || die "containers were left after their clusters were deleted (see LEAK above)"
  return $status
}

main "$@"
