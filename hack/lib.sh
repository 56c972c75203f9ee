#!/usr/bin/env bash
# Shared helpers for the hack/ scripts: versions, cache locations, logging.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HACK_DIR/.." && pwd)"
# shellcheck source=versions.env
source "$HACK_DIR/versions.env"

CACHE_ROOT="${CAPD_JAVA_CACHE:-$HOME/.cache/capd-java}"
TOOLS_DIR="$CACHE_ROOT/tools/k8s-${KUBERNETES_VERSION}_capi-${CAPI_VERSION}_etcd-${ETCD_VERSION}"

# the load balancer image, as upstream CAPD's default (hack/images.sh builds it offline)
HAPROXY_IMAGE=kindest/haproxy:v20230606-42a2262b

# "1.12" of "v1.12.1", "1.12.1-0", "3.6.5-0"
minor_of() { echo "$1" | sed -E 's/^v?([0-9]+\.[0-9]+).*/\1/'; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The Debian mirror configured on this machine; never written into the repo.
apt_mirror() {
  local src
  for src in /etc/apt/sources.list.d/debian.sources; do
    [ -f "$src" ] && awk '/^URIs:/{print $2; exit}' "$src" && return 0
  done
  awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null
}

apt_sources_file() {
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then echo /etc/apt/sources.list.d/debian.sources
  else echo /etc/apt/sources.list; fi
}

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# True when the engine at HOST (a unix:// socket) is Podman's Docker-compatible service, which names itself among the
# version answer's components.
podman_answers() {
  local host=$1
  [[ "$host" == unix://* ]] || return 1
  curl -sf --max-time 5 --unix-socket "${host#unix://}" http://d/version 2>/dev/null | grep -q '"Name": *"Podman Engine"'
}

# The release the packaging module describes: the root pom's version without -SNAPSHOT, as v<major.minor.patch>.
operator_version() {
  local v
  v=$(sed -n '0,/<version>/s|.*<version>\(.*\)</version>.*|\1|p' "$REPO_ROOT/pom.xml")
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-SNAPSHOT)?$ ]] || die "root pom version '$v' is not MAJOR.MINOR.PATCH[-SNAPSHOT]"
  echo "v${v%-SNAPSHOT}"
}

# True when MODULE's runnable jar (MODULE/target/MODULE.jar) exists and nothing it is built from (its sources and
# those of the modules it includes, the poms) changed after it.
provider_jar_fresh() {
  local module=$1 jar="$REPO_ROOT/$1/target/$1.jar" p sources=() modules=("$1")
  [ -f "$jar" ] || return 1
  # the all-in-one jar holds the three providers
  [ "$module" = all-in-one ] && modules+=(capd-controller bootstrap-kubeadm controlplane-kubeadm)
  for p in api provider-core crds "${modules[@]}"; do sources+=("$REPO_ROOT/$p/src/main" "$REPO_ROOT/$p/pom.xml"); done
  [ -z "$(find "${sources[@]}" "$REPO_ROOT/crds/policies" "$REPO_ROOT/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]
}
