#!/usr/bin/env bash
# Builds, without pulling anything, the images the providers use, tagged with the names users would pull:
#   base     a Debian bookworm minbase image, debootstrapped from the apt mirror this machine is configured with
#   haproxy  the load balancer, tagged as upstream's default kindest/haproxy:v20230606-42a2262b
#   node     a Kubernetes node, tagged kindest/node:$KUBERNETES_VERSION like the image CAPD derives from a Machine's
#            version: Debian packages, binaries built by hack/tools.sh node, control-plane images built here from them
# Each image carries a hash of its inputs; an image whose inputs did not change is not rebuilt.
#
#   jre        a jlink'ed OpenJDK 17 runtime (from Debian's JDK) on the base image, capd-java/jre:17
#   operators  (not part of all) the three providers' operators, capd-java/<module>:v<version>, from their runnable
#              jars (built with mvn -pl <module> package when missing or older than their sources), and CAPI core's
#              manager as capd-java/cluster-api-controller:$CAPI_VERSION for hack/clusterctl-repo.sh --offline
#
#   hack/images.sh [base|haproxy|node [vX.Y.Z...]|all|jre|operators]     (default: all)
# `node vX.Y.Z` builds the node image of another Kubernetes release in CAPI's workload range (binaries from
# hack/tools.sh node-version, about 10 minutes of Go builds per release when cold), or says in one line why it cannot.
# A cold node build takes about half a minute once hack/tools.sh node has built the binaries (about three minutes of
# Go builds more with a warm module cache); an up-to-date image costs under a second.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BASE_IMAGE=capd-java/debian-base:bookworm
NODE_IMAGE=kindest/node:$KUBERNETES_VERSION
IMAGES_DIR="$REPO_ROOT/images"
INPUTS_LABEL=io.capdjava.inputs

image_inputs() { docker image inspect -f "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$1" 2>/dev/null || true; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
# names, modes and contents of every file under a directory
tree_listing() { (cd "$1" && find . -type f ! -name '*.md' -printf '%m %p\n' | sort && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 cat); }

# Build containers and temporary directories, removed on exit whatever happens.
CLEANUP_CONTAINERS=()
CLEANUP_DIRS=()
cleanup() {
  local c d
  for c in "${CLEANUP_CONTAINERS[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
  for d in "${CLEANUP_DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

build_base() {
  local inputs; inputs=$(echo "bookworm minbase" | sha256sum | cut -c1-16)
  [ "$(image_inputs "$BASE_IMAGE")" = "$inputs" ] && { log "$BASE_IMAGE is up to date"; return; }
  apt_install debootstrap
  local mirror tarball work
  mirror=$(apt_mirror); [ -n "$mirror" ] || die "no Debian mirror found in the apt sources"
  tarball="$CACHE_ROOT/debootstrap/bookworm-minbase.tgz"
  work=$(mktemp -d)
  if [ ! -f "$tarball" ]; then
    mkdir -p "$(dirname "$tarball")"
    log "downloading the bookworm minbase packages once ($tarball)"
    debootstrap --variant=minbase --make-tarball="$tarball.tmp" bookworm "$work/mk" "$mirror" >/dev/null
    mv "$tarball.tmp" "$tarball"
    rm -rf "$work/mk"
  fi
  log "debootstrapping $BASE_IMAGE"
  debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$work/rootfs" "$mirror" >/dev/null
  # apt lists, caches and the sources file stay out: the image names no mirror
  tar -C "$work/rootfs" --numeric-owner --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*' \
    --exclude='./etc/apt/sources.list' --exclude='./etc/apt/sources.list.d/*' -cf - . |
    docker import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' \
      --change "LABEL $INPUTS_LABEL=$inputs" - "$BASE_IMAGE" >/dev/null
  rm -rf "$work"
}

# Runs an install script in a container from $BASE_IMAGE with the host's apt sources mounted read-only, commits the
# result, then adds metadata with a plain docker build (BuildKit is not installed with Debian's docker.io).
#   build_with_apt IMAGE DIR INPUTS [docker run args...] [-- docker build args...]
build_with_apt() {
  local image=$1 dir=$2 inputs=$3 run_args=() build_args=()
  shift 3
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do run_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift && build_args=("$@")
  local container="capd-java-build-$$" previous
  previous=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  CLEANUP_CONTAINERS+=("$container")
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker run --name "$container" -v "$(apt_sources_file):/etc/apt/sources.list.d/debian.sources:ro" \
    -v "$dir/install.sh:/tmp/install.sh:ro" "${run_args[@]}" "$BASE_IMAGE" sh /tmp/install.sh
  docker commit "$container" "$image-installed" >/dev/null
  docker rm -v "$container" >/dev/null
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$image-installed" "${build_args[@]}" \
    --label "$INPUTS_LABEL=$inputs" -t "$image" "$dir" >/dev/null 2>&1 || DOCKER_BUILDKIT=0 docker build \
    --build-arg "BASE=$image-installed" "${build_args[@]}" --label "$INPUTS_LABEL=$inputs" -t "$image" "$dir"
  docker rmi "$image-installed" >/dev/null
  # the replaced image, unless a container still uses it
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
    docker rmi "$previous" >/dev/null 2>&1 || true
  fi
}

build_haproxy() {
  local dir="$IMAGES_DIR/haproxy" inputs
  inputs=$(hash_of "$dir/Dockerfile" "$dir/install.sh" "$dir/haproxy.cfg" <(image_inputs "$BASE_IMAGE"))
  [ "$(image_inputs "$HAPROXY_IMAGE")" = "$inputs" ] && { log "$HAPROXY_IMAGE is up to date"; return; }
  log "building $HAPROXY_IMAGE"
  build_with_apt "$HAPROXY_IMAGE" "$dir" "$inputs" -v "$dir/haproxy.cfg:/tmp/haproxy.cfg:ro"
}

# The control-plane images are written as an OCI image layout, never as images of the host's engine: names like
# registry.k8s.io/pause:3.10.1 there may be the user's own. Each image is one zstd-compressed layer.
#   oci_image LAYOUT REF ROOTFS_TAR ENTRYPOINT PATH_ENV
oci_image() {
  local layout=$1 ref=$2 rootfs=$3 entrypoint=$4 path_env=$5 diff_id layer config manifest
  mkdir -p "$layout/blobs/sha256"
  diff_id=$(sha256sum "$rootfs" | cut -c1-64)
  zstd -q -3 -T0 -c "$rootfs" >"$layout/blob.tmp"
  layer=$(oci_blob "$layout")
  printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=%s"],"Entrypoint":["%s"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(go env GOARCH)" "$path_env" "$entrypoint" "$diff_id" >"$layout/blob.tmp"
  config=$(oci_blob "$layout")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":"sha256:%s","size":%s}]}' \
    "${config% *}" "${config#* }" "${layer% *}" "${layer#* }" >"$layout/blob.tmp"
  manifest=$(oci_blob "$layout")
  printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}\n' \
    "${manifest% *}" "${manifest#* }" "$ref" "${ref##*:}" >>"$layout/manifests"
}

# Moves $layout/blob.tmp to its content address; prints "<sha256> <size>".
oci_blob() {
  local sum size
  sum=$(sha256sum "$1/blob.tmp" | cut -c1-64)
  size=$(stat -c %s "$1/blob.tmp")
  mv "$1/blob.tmp" "$1/blobs/sha256/$sum"
  echo "$sum $size"
}

# The layout as one tar, as `ctr images import` reads it.
oci_archive() {
  local layout=$1 archive=$2
  echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  printf '{"schemaVersion":2,"manifests":[%s]}' "$(paste -sd, "$layout/manifests")" >"$layout/index.json"
  tar -C "$layout" -cf "$archive" oci-layout index.json blobs
}

# The file tree of an image holding one static binary (control-plane components, CoreDNS, pause), as a tar.
static_rootfs() {
  local binary=$1 dest=$2 tarball=$3 rootfs
  rootfs=$(mktemp -d "$(dirname "$tarball")/rootfs.XXXXXX")
  cp -a "$IMAGES_DIR/node/components/static-rootfs/." "$rootfs/"
  install -d -m 1777 "$rootfs/tmp"
  install -D -m 0755 "$binary" "$rootfs$dest"
  tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -cf "$tarball" .
  rm -rf "$rootfs"
}

# kube-proxy's file tree: Debian with iptables and conntrack (installed from the apt mirror), and the binary.
kube_proxy_rootfs() {
  local binary=$1 tarball=$2 container="capd-java-build-kube-proxy-$$"
  CLEANUP_CONTAINERS+=("$container")
  docker rm -f "$container" >/dev/null 2>&1 || true
  # the apt sources and script live on a tmpfs, so the exported file tree keeps no trace of them
  docker run --name "$container" --tmpfs /tmp -v "$(apt_sources_file):/tmp/apt/debian.sources:ro" \
    -v "$IMAGES_DIR/node/components/kube-proxy-install.sh:/tmp/install.sh:ro" "$BASE_IMAGE" sh /tmp/install.sh >&2
  docker cp "$binary" "$container:/usr/local/bin/kube-proxy" >&2
  docker export -o "$tarball" "$container"
  docker rm -v "$container" >/dev/null
}

# The images `kubeadm config images list` names, built from our binaries into one OCI archive, $2/images.tar.
# Sets PAUSE_IMAGE to the pause image's name.
control_plane_images() {
  local bin=$1 work=$2 version=$3 ref name layout="$work/oci" static_path=/usr/local/bin:/usr/bin:/bin
  local refs coredns_built
  coredns_built=$(cat "$bin/.coredns.version" 2>/dev/null || echo "$COREDNS_VERSION")
  refs=$("$bin/kubeadm" config images list --kubernetes-version "$version" 2>/dev/null) ||
    die "kubeadm config images list failed"
  for ref in $refs; do
    name=${ref%:*}; name=${name##*/}
    case "$name" in
      kube-apiserver | kube-controller-manager | kube-scheduler | etcd)
        static_rootfs "$bin/$name" "/usr/local/bin/$name" "$work/$name.tar"
        oci_image "$layout" "$ref" "$work/$name.tar" "/usr/local/bin/$name" "$static_path" ;;
      coredns)
        # the default release's CoreDNS must be the one its kubeadm names; another release may reuse a build of the
        # same minor (hack/tools.sh node_version)
        if [ "$version" = "$KUBERNETES_VERSION" ]; then
          [ "${ref##*:}" = "$COREDNS_VERSION" ] ||
            die "kubeadm deploys CoreDNS ${ref##*:}, hack/versions.env builds $COREDNS_VERSION: update COREDNS_VERSION"
        elif [ "$(minor_of "${ref##*:}")" != "$(minor_of "$coredns_built")" ]; then
          die "kubeadm $version deploys CoreDNS ${ref##*:}, but $bin has CoreDNS $coredns_built"
        fi
        static_rootfs "$bin/coredns" /coredns "$work/$name.tar"
        oci_image "$layout" "$ref" "$work/$name.tar" /coredns "$static_path" ;;
      pause)
        gcc -static -Os -s -o "$work/pause" "$IMAGES_DIR/node/components/pause.c"
        static_rootfs "$work/pause" /pause "$work/$name.tar"
        oci_image "$layout" "$ref" "$work/$name.tar" /pause "$static_path"
        PAUSE_IMAGE=$ref ;;
      kube-proxy)
        kube_proxy_rootfs "$bin/kube-proxy" "$work/$name.tar"
        oci_image "$layout" "$ref" "$work/$name.tar" /usr/local/bin/kube-proxy \
          /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ;;
      *) die "kubeadm names an image this script does not know how to build: $ref" ;;
    esac
    rm -f "$work/$name.tar"
  done
  [ -n "${PAUSE_IMAGE:-}" ] || die "kubeadm named no pause image"
  oci_archive "$layout" "$work/images.tar"
  rm -rf "$layout"
  log "control-plane images: $(echo $refs)"
}

# The node image of Kubernetes $1 (default: the release of hack/versions.env), kindest/node:$1.
build_node() {
  local version=${1:-$KUBERNETES_VERSION} dir="$IMAGES_DIR/node" bin inputs work
  local NODE_IMAGE="kindest/node:$version"
  bin=$("$HACK_DIR/tools.sh" node-version "$version" | tail -1) || exit 1
  # the binaries are determined by versions.env and the release; the build steps are the functions below
  inputs=$(hash_of <(tree_listing "$dir") "$HACK_DIR/versions.env" <(echo "$version") <(image_inputs "$BASE_IMAGE") \
    <(declare -f build_with_apt control_plane_images static_rootfs kube_proxy_rootfs oci_image oci_blob oci_archive))
  [ "$(image_inputs "$NODE_IMAGE")" = "$inputs" ] && { log "$NODE_IMAGE is up to date"; return; }
  command -v gcc >/dev/null || apt_install gcc libc6-dev
  command -v zstd >/dev/null || apt_install zstd
  log "building $NODE_IMAGE"
  work=$(mktemp -d "$CACHE_ROOT/build-node.XXXXXX")
  CLEANUP_DIRS+=("$work")
  control_plane_images "$bin" "$work" "$version"
  build_with_apt "$NODE_IMAGE" "$dir" "$inputs" -v "$bin:/tmp/bin:ro" -v "$work/images.tar:/tmp/images.tar:ro" \
    -- --build-arg "PAUSE_IMAGE=$PAUSE_IMAGE"
  rm -rf "$work"
  log "$NODE_IMAGE: $(docker image inspect -f '{{.Size}}' "$NODE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
}

JRE_IMAGE=capd-java/jre:17
OPERATOR_MODULES=(capd-controller bootstrap-kubeadm controlplane-kubeadm)

build_jre() {
  local dir="$IMAGES_DIR/jre" inputs
  inputs=$(hash_of "$dir/Dockerfile" "$dir/install.sh" <(image_inputs "$BASE_IMAGE"))
  [ "$(image_inputs "$JRE_IMAGE")" = "$inputs" ] && { log "$JRE_IMAGE is up to date"; return; }
  log "building $JRE_IMAGE"
  build_with_apt "$JRE_IMAGE" "$dir" "$inputs"
}

# A plain docker build whose context holds only the Dockerfile and the one file it copies.
#   build_context_image IMAGE DOCKERFILE FILE INPUTS [build args...]
build_context_image() {
  local image=$1 dockerfile=$2 file=$3 inputs=$4 work; shift 4
  [ "$(image_inputs "$image")" = "$inputs" ] && { log "$image is up to date"; return; }
  work=$(mktemp -d); CLEANUP_DIRS+=("$work")
  cp "$dockerfile" "$work/Dockerfile" && cp "$file" "$work/"
  log "building $image"
  DOCKER_BUILDKIT=0 docker build -q "$@" --label "$INPUTS_LABEL=$inputs" -t "$image" "$work" >/dev/null
  rm -rf "$work"
}

build_operators() {
  local version module jar bin
  version=$(operator_version)
  for module in "${OPERATOR_MODULES[@]}"; do
    jar="$REPO_ROOT/$module/target/$module.jar"
    if ! provider_jar_fresh "$module"; then
      log "building $jar (mvn -pl $module package): missing or older than its sources"
      (cd "$REPO_ROOT" && mvn -B -q -ntp -pl "$module" -am package -DskipTests) >&2
    fi
    build_context_image "capd-java/$module:$version" "$IMAGES_DIR/operator/Dockerfile" "$jar" \
      "$(hash_of "$IMAGES_DIR/operator/Dockerfile" "$jar" <(image_inputs "$JRE_IMAGE"))" \
      --build-arg "JRE=$JRE_IMAGE" --build-arg "JAR=$module.jar"
  done
  [ -x "$("$HACK_DIR/tools.sh" --print-dir)/cluster-api-manager" ] || "$HACK_DIR/tools.sh" >&2
  bin=$("$HACK_DIR/tools.sh" --print-dir)
  build_context_image "capd-java/cluster-api-controller:$CAPI_VERSION" "$IMAGES_DIR/operator/core.Dockerfile" \
    "$bin/cluster-api-manager" \
    "$(hash_of "$IMAGES_DIR/operator/core.Dockerfile" "$bin/cluster-api-manager" <(image_inputs "$BASE_IMAGE"))" \
    --build-arg "BASE=$BASE_IMAGE"
  log "operator images: $(for m in "${OPERATOR_MODULES[@]}"; do printf 'capd-java/%s:%s ' "$m" "$version"; done)capd-java/cluster-api-controller:$CAPI_VERSION"
}

main() {
  "$HACK_DIR/docker.sh"
  local start=$SECONDS
  case "${1:-all}" in
    base) build_base ;;
    haproxy) build_base; build_haproxy ;;
    node)
      build_base
      if [ $# -gt 1 ]; then
        local v
        for v in "${@:2}"; do build_node "$v"; done
      else
        build_node
      fi ;;
    all) build_base; build_haproxy; build_node ;;
    jre) build_base; build_jre ;;
    operators) build_base; build_jre; build_operators ;;
    *) die "unknown image '$1' (base|haproxy|node|all|jre|operators)" ;;
  esac
  log "images ready in $((SECONDS - start))s"
}

main "$@"
