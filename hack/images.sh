#!/usr/bin/env bash
# Builds, without pulling anything, the images the providers use, tagged with the names users would pull:
#   base     a Debian bookworm minbase image, debootstrapped from the apt mirror this machine is configured with
#   haproxy  the load balancer, tagged as upstream's default kindest/haproxy:v20230606-42a2262b
# Each image carries a hash of its inputs; an image whose inputs did not change is not rebuilt.
#
#   hack/images.sh [base|haproxy|all]     (default: all)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BASE_IMAGE=capd-java/debian-base:bookworm
HAPROXY_IMAGE=kindest/haproxy:v20230606-42a2262b
IMAGES_DIR="$REPO_ROOT/images"
INPUTS_LABEL=io.capdjava.inputs

image_inputs() { docker image inspect -f "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$1" 2>/dev/null || true; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

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
build_with_apt() {
  local image=$1 dir=$2 inputs=$3 extra_mounts=("${@:4}")
  local container="capd-java-build-$$"
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker run --name "$container" -v "$(apt_sources_file):/etc/apt/sources.list.d/debian.sources:ro" \
    -v "$dir/install.sh:/tmp/install.sh:ro" "${extra_mounts[@]}" "$BASE_IMAGE" sh /tmp/install.sh
  docker commit "$container" "$image-installed" >/dev/null
  docker rm "$container" >/dev/null
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$image-installed" --label "$INPUTS_LABEL=$inputs" \
    -t "$image" "$dir" >/dev/null 2>&1 || DOCKER_BUILDKIT=0 docker build --build-arg "BASE=$image-installed" \
    --label "$INPUTS_LABEL=$inputs" -t "$image" "$dir"
  docker rmi "$image-installed" >/dev/null
}

build_haproxy() {
  local dir="$IMAGES_DIR/haproxy" inputs
  inputs=$(hash_of "$dir/Dockerfile" "$dir/install.sh" "$dir/haproxy.cfg" <(image_inputs "$BASE_IMAGE"))
  [ "$(image_inputs "$HAPROXY_IMAGE")" = "$inputs" ] && { log "$HAPROXY_IMAGE is up to date"; return; }
  log "building $HAPROXY_IMAGE"
  build_with_apt "$HAPROXY_IMAGE" "$dir" "$inputs" -v "$dir/haproxy.cfg:/tmp/haproxy.cfg:ro"
}

main() {
  "$HACK_DIR/docker.sh"
  local start=$SECONDS
  case "${1:-all}" in
    base) build_base ;;
    haproxy) build_base; build_haproxy ;;
    all) build_base; build_haproxy ;;
    *) die "unknown image '$1' (base|haproxy|all)" ;;
  esac
  log "images ready in $((SECONDS - start))s"
}

main "$@"
