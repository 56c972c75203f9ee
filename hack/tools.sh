#!/usr/bin/env bash
# Builds the Kubernetes and Cluster API binaries the test environment needs from their published Go modules, with the
# machine's Go and module proxy, into a cache outside the repo. A second run with the cache present takes seconds.
#
#   hack/tools.sh            management-plane set: etcd kube-apiserver kube-controller-manager kubectl
#                            cluster-api-manager clusterctl
#   hack/tools.sh node       node set as well: kubeadm kubelet kube-scheduler kube-proxy crictl coredns
#   hack/tools.sh node-version vX.Y.Z
#                            the node set of another Kubernetes release (CAPI's workload range, v1.31-v1.36) in a
#                            directory of its own, printed last; the default release's directory for KUBERNETES_VERSION
#   hack/tools.sh --print-dir   print the directory holding the binaries
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BIN_DIR="$TOOLS_DIR/bin"
SRC_DIR="$CACHE_ROOT/src"
export GOFLAGS="${GOFLAGS:-} -trimpath"
export CGO_ENABLED=0

k8s_ldflags() {
  local v="${KUBERNETES_VERSION#v}" major minor
  major="${v%%.*}"; minor="$(echo "$v" | cut -d. -f2)"
  local flags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

# k8s.io/kubernetes cannot be required as-is: its go.mod points the k8s.io staging modules at ./staging. A wrapper
# module pins each of them to the published release with the same minor/patch.
k8s_wrapper_module() {
  local dir="$SRC_DIR/k8s-wrapper-$KUBERNETES_VERSION"
  if [ ! -f "$dir/go.sum" ]; then
    mkdir -p "$dir"
    local gomod
    gomod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | awk -F'"' '/"GoMod"/{print $4}')
    [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION"
    {
      echo "module capd-java.local/k8s-wrapper"
      echo
      echo "go $(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
      echo
      echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
      echo
      grep -oE 'k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" | awk '{print $1}' | sort -u |
        while read -r m; do echo "replace $m => $m $KUBERNETES_STAGING_VERSION"; done
    } >"$dir/go.mod"
    cat >"$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
    (cd "$dir" && go mod tidy -e >/dev/null 2>&1 || true; cd "$dir" && GOFLAGS=-mod=mod go list -tags tools k8s.io/kubernetes/cmd/kube-apiserver >/dev/null)
  fi
  echo "$dir"
}

build_k8s() {
  local missing=()
  for b in "$@"; do [ -x "$BIN_DIR/$b" ] || missing+=("k8s.io/kubernetes/cmd/$b"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local dir; dir=$(k8s_wrapper_module)
  log "building ${missing[*]##*/} ($KUBERNETES_VERSION)"
  (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go build -ldflags "$(k8s_ldflags)" -o "$BIN_DIR/" "${missing[@]}")
}

build_etcd() {
  [ -x "$BIN_DIR/etcd" ] && return 0
  local dir="$SRC_DIR/etcd-wrapper-$ETCD_VERSION"
  mkdir -p "$dir"
  if [ ! -f "$dir/go.mod" ]; then
    printf 'module capd-java.local/etcd-wrapper\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$dir/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$dir/tools.go"
    (cd "$dir" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || true)
  fi
  log "building etcd ($ETCD_VERSION)"
  (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go build -ldflags "-s -w" -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3)
}

build_capi() {
  [ -x "$BIN_DIR/cluster-api-manager" ] && [ -x "$BIN_DIR/clusterctl" ] && return 0
  local dir="$SRC_DIR/capi-wrapper-$CAPI_VERSION"
  mkdir -p "$dir"
  if [ ! -f "$dir/go.mod" ]; then
    # CAPI's go.mod points sigs.k8s.io/cluster-api/api at ./api, which a dependency ignores: pin the published module.
    printf 'module capd-java.local/capi-wrapper\n\ngo 1.24\n\nrequire sigs.k8s.io/cluster-api %s\n\nreplace sigs.k8s.io/cluster-api/api => sigs.k8s.io/cluster-api/api %s\n' \
      "$CAPI_VERSION" "$CAPI_VERSION" >"$dir/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "sigs.k8s.io/cluster-api/core"\n\t_ "sigs.k8s.io/cluster-api/cmd/clusterctl"\n)\n' >"$dir/tools.go"
    (cd "$dir" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || true)
  fi
  local ld="-s -w"
  for k in gitVersion=$CAPI_VERSION gitMajor=1 gitMinor=14 gitTreeState=clean buildDate=1970-01-01T00:00:00Z; do
    ld+=" -X sigs.k8s.io/cluster-api/version.$k"
  done
  log "building cluster-api-manager and clusterctl ($CAPI_VERSION)"
  (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go build -ldflags "$ld" -o "$BIN_DIR/cluster-api-manager" sigs.k8s.io/cluster-api/core)
  (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go build -ldflags "$ld" -o "$BIN_DIR/clusterctl" sigs.k8s.io/cluster-api/cmd/clusterctl)
}

# Binaries outside the Kubernetes/etcd/CAPI release train carry their version in a stamp file next to them, so a
# version bump in versions.env rebuilds them even though the tools directory name does not change.
up_to_date() { [ -x "$BIN_DIR/$1" ] && [ "$(cat "$BIN_DIR/.$1.version" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$BIN_DIR/.$1.version"; }

# crictl, built in a wrapper module (`go install pkg@version` needs the module's version list, which the proxy
# reachable here refuses). The module itself is checked against the h1 hash in versions.env because the checksum
# database reachable from here has no record of it; its dependencies are checked against the checksum database.
build_crictl() {
  up_to_date crictl "$CRI_TOOLS_VERSION" && return 0
  local dir="$SRC_DIR/crictl-wrapper-$CRI_TOOLS_VERSION" sum
  local -x GONOSUMDB=sigs.k8s.io/cri-tools
  sum=$(go mod download -json "sigs.k8s.io/cri-tools@$CRI_TOOLS_VERSION" | awk -F'"' '/"Sum"/{print $4}')
  [ "$sum" = "$CRI_TOOLS_SUM" ] ||
    die "sigs.k8s.io/cri-tools@$CRI_TOOLS_VERSION has checksum '$sum', versions.env expects '$CRI_TOOLS_SUM'"
  if [ ! -f "$dir/go.sum" ]; then
    mkdir -p "$dir"
    # cri-tools v1.34.0 requires the k8s.io v0.34.0-rc.2 libraries, which the checksum database here does not know;
    # the released ones of our Kubernetes version replace them (MVS picks the higher version).
    {
      printf 'module capd-java.local/crictl-wrapper\n\ngo 1.24\n\nrequire (\n\tsigs.k8s.io/cri-tools %s\n' "$CRI_TOOLS_VERSION"
      for m in api apimachinery client-go cri-api cri-client kubectl kubelet; do
        printf '\tk8s.io/%s %s\n' "$m" "$KUBERNETES_STAGING_VERSION"
      done
      printf ')\n'
    } >"$dir/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "sigs.k8s.io/cri-tools/cmd/crictl"\n' >"$dir/tools.go"
    (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go mod tidy)
  fi
  log "building crictl ($CRI_TOOLS_VERSION)"
  (cd "$dir" && go build -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRI_TOOLS_VERSION" \
    -o "$BIN_DIR/crictl" sigs.k8s.io/cri-tools/cmd/crictl)
  stamp crictl "$CRI_TOOLS_VERSION"
}

# CoreDNS with the plugin set of its release (plugin.cfg as published), built from its own go.mod.
build_coredns() {
  up_to_date coredns "$COREDNS_VERSION" && return 0
  log "building coredns ($COREDNS_VERSION)"
  GOBIN="$BIN_DIR" go install -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
    "github.com/coredns/coredns@$COREDNS_VERSION"
  stamp coredns "$COREDNS_VERSION"
}

# The upstream CAPI source tree (CRDs, webhook manifests) as the module proxy serves it.
capi_module_dir() {
  (cd "$SRC_DIR/capi-wrapper-$CAPI_VERSION" && go list -m -f '{{.Dir}}' sigs.k8s.io/cluster-api)
}

# Upstream's test module (the Docker provider's API, its cluster templates and ClusterClasses, the e2e suite), as the
# module proxy serves it: the e2e specs read upstream's templates from it unchanged.
capi_test_module_dir() {
  (cd "$SRC_DIR/capi-wrapper-$CAPI_VERSION" \
    && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/cluster-api/test@$CAPI_VERSION" | awk -F'"' '/"Dir"/{print $4}')
}

# Upstream's e2e suite as a test binary (hack/upstream-e2e.sh runs it): `go test -c` of the package
# sigs.k8s.io/cluster-api/test/e2e from a wrapper module (the test module's go.mod points sigs.k8s.io/cluster-api at
# ../, which a dependency ignores: pin the published modules of the same version).
build_capi_e2e() {
  local out="$BIN_DIR/capi-e2e.test" dir="$SRC_DIR/capi-e2e-wrapper-$CAPI_VERSION"
  if ! up_to_date capi-e2e.test "$CAPI_VERSION-offline-release-markers"; then
    mkdir -p "$dir"
    if [ ! -f "$dir/go.sum" ]; then
      printf 'module capd-java.local/capi-e2e-wrapper\n\ngo 1.26.0\n\nrequire (\n\tsigs.k8s.io/cluster-api %s\n\tsigs.k8s.io/cluster-api/test %s\n)\n\nreplace sigs.k8s.io/cluster-api/api => sigs.k8s.io/cluster-api/api %s\n' \
        "$CAPI_VERSION" "$CAPI_VERSION" "$CAPI_VERSION" >"$dir/go.mod"
      (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go get -t "sigs.k8s.io/cluster-api/test/e2e@$CAPI_VERSION")
    fi
    # One change, in a copy of the module (the go command refuses overlays of the module cache): the clusterctl
    # upgrade specs (clusterctl_upgrade_test.go) ask GitHub for the latest v1.11-v1.13 releases while ginkgo builds the
    # spec tree, for every run whatever its focus; unreachable here, that aborts the whole suite. Their calls of
    # GetStableReleaseOfMinor(ctx, v) get "v.0" instead, so the tree builds; those specs need GitHub anyway (old
    # clusterctl binaries and components YAML from release pages) and are not run here.
    local copy="$dir/cluster-api-test"
    rm -rf "$copy" && cp -r "$(capi_test_module_dir)" "$copy"
    chmod -R u+w "$copy"
    sed -i 's/GetStableReleaseOfMinor(ctx, version)/stableReleaseOfMinorOffline(version)/' "$copy/e2e/clusterctl_upgrade_test.go"
    printf '//go:build e2e\n\npackage e2e\n\n// Written by capd-java hack/tools.sh: see build_capi_e2e.\nfunc stableReleaseOfMinorOffline(minor string) (string, error) { return minor + ".0", nil }\n' \
      >"$copy/e2e/zz_capd_java_offline_release_test.go"
    (cd "$dir" && go mod edit -replace "sigs.k8s.io/cluster-api/test=./cluster-api-test")
    log "building upstream's e2e suite (sigs.k8s.io/cluster-api/test/e2e $CAPI_VERSION; several minutes when cold)"
    (cd "$dir" && GOFLAGS="$GOFLAGS -mod=mod" go test -c -tags e2e -o "$out" sigs.k8s.io/cluster-api/test/e2e)
    stamp capi-e2e.test "$CAPI_VERSION-offline-release-markers"
  fi
  echo "E2E_TEST=$out"
}

# The node set of another Kubernetes release, for hack/images.sh node vX.Y.Z: kubeadm, kubelet, kubectl and the
# control-plane binaries of that release; etcd and CoreDNS at the releases its kubeadm names, except that a release
# with the same minor as the default one's (hack/versions.env) reuses that build, as the default node image already
# does for etcd's patch level; crictl and pause as for the default release.
node_version() {
  local version=$1 default_bin=$BIN_DIR minor patch
  [[ "$version" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] ||
    die "Kubernetes '$version': a release is named vMAJOR.MINOR.PATCH (for example v1.33.13)"
  minor=${BASH_REMATCH[1]}; patch=${BASH_REMATCH[2]}
  ((minor >= 31 && minor <= 36)) ||
    die "Kubernetes $version: Cluster API $CAPI_VERSION supports workload clusters v1.31 to v1.36"
  "$HACK_DIR/tools.sh" node >/dev/null
  if [ "$version" = "$KUBERNETES_VERSION" ]; then echo "$BIN_DIR"; return 0; fi
  local err
  err=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$version" 2>/dev/null |
    awk -F'"' '/"Error"/{print $4; exit}') || true
  [ -z "$err" ] || die "Kubernetes $version: the Go module proxy does not serve k8s.io/kubernetes@$version ($err)"
  KUBERNETES_VERSION=$version
  KUBERNETES_STAGING_VERSION=v0.$minor.$patch
  BIN_DIR="$CACHE_ROOT/tools/node-$version/bin"
  mkdir -p "$BIN_DIR"
  local start=$SECONDS
  build_k8s kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy
  local images etcd_tag coredns_tag
  images=$("$BIN_DIR/kubeadm" config images list --kubernetes-version "$version" 2>/dev/null) ||
    die "kubeadm $version config images list failed"
  etcd_tag=$(echo "$images" | awk -F: '/\/etcd:/{print $NF}')
  coredns_tag=$(echo "$images" | awk -F: '/\/coredns:/{print $NF}')
  if [ "$(minor_of "v${etcd_tag%-*}")" = "$(minor_of "$ETCD_VERSION")" ]; then
    ln -f "$default_bin/etcd" "$BIN_DIR/etcd"
  else
    ETCD_VERSION="v${etcd_tag%-*}" build_etcd
  fi
  if [ "$(minor_of "$coredns_tag")" = "$(minor_of "$COREDNS_VERSION")" ]; then
    ln -f "$default_bin/coredns" "$BIN_DIR/coredns"; stamp coredns "$COREDNS_VERSION"
  else
    COREDNS_VERSION=$coredns_tag build_coredns
  fi
  ln -f "$default_bin/crictl" "$BIN_DIR/crictl"
  log "node binaries of Kubernetes $version ready in $BIN_DIR ($((SECONDS - start))s)"
  echo "$BIN_DIR"
}

main() {
  if [ "${1:-}" = "--print-dir" ]; then echo "$BIN_DIR"; return 0; fi
  if [ "${1:-}" = "node-version" ]; then
    command -v go >/dev/null || die "go is required to build the Kubernetes binaries"
    node_version "${2:?hack/tools.sh node-version vX.Y.Z}"
    return 0
  fi
  command -v go >/dev/null || die "go is required to build the Kubernetes and CAPI binaries"
  mkdir -p "$BIN_DIR"
  local start=$SECONDS
  build_etcd
  build_k8s kube-apiserver kube-controller-manager kubectl
  if [ "${1:-}" = "node" ]; then
    build_k8s kubeadm kubelet kube-scheduler kube-proxy
    build_crictl
    build_coredns
  fi
  build_capi
  ln -sfn "$(capi_module_dir)" "$TOOLS_DIR/cluster-api-src"
  [ -d "$TOOLS_DIR/cluster-api-test-src/infrastructure" ] || ln -sfn "$(capi_test_module_dir)" "$TOOLS_DIR/cluster-api-test-src"
  if [ "${1:-}" = "e2e" ]; then build_capi_e2e; return 0; fi
  log "tools ready in $BIN_DIR ($((SECONDS - start))s):"
  for b in "$BIN_DIR"/*; do printf '  %-26s %s\n' "$(basename "$b")" "$(du -h "$b" | cut -f1)" >&2; done
}

main "$@"
