#!/usr/bin/env bash
# Podman as the container engine, through its Docker-compatible service (rootful):
#
#   hack/podman.sh                  makes sure the service answers on PODMAN_SOCKET (default /run/podman/podman.sock):
#                                   installs Debian's podman and starts `podman system service` in the background when
#                                   none does; prints DOCKER_HOST=unix://<socket>, what our providers connect to
#   hack/podman.sh images IMAGE...  puts images into Podman's storage offline: copied from dockerd, where hack/images.sh
#                                   builds them (an image Podman already has with the same ID is not copied again)
#   hack/podman.sh stop             stops a service this script started
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PODMAN_SOCKET=${PODMAN_SOCKET:-/run/podman/podman.sock}
PODMAN_LOG="$CACHE_ROOT/podman-service.log"
PODMAN_PID="$CACHE_ROOT/podman-service.pid"

service_answers() { podman_answers "unix://$PODMAN_SOCKET"; }

start_service() {
  command -v podman >/dev/null 2>&1 || apt_install podman
  service_answers && return 0
  mkdir -p "$CACHE_ROOT" "$(dirname "$PODMAN_SOCKET")"
  log "starting podman system service on $PODMAN_SOCKET (log: $PODMAN_LOG)"
  # --time=0: the service never exits for idleness (a provider keeps an events stream open, but may restart)
  # started from /: conmon runs in the service's working directory, and a service started in a checkout that is later
  # removed (a CI clone) failed every container start with "Failed to get working directory"
  (cd / && exec setsid nohup podman system service --time=0 "unix://$PODMAN_SOCKET" >"$PODMAN_LOG" 2>&1 </dev/null) &
  echo $! >"$PODMAN_PID"
  for _ in $(seq 1 30); do
    service_answers && { log "podman $(podman version --format '{{.Server.Version}}' 2>/dev/null) answers"; return 0; }
    sleep 1
  done
  tail -n 30 "$PODMAN_LOG" >&2 || true
  die "podman system service did not answer within 30s"
}

# dockerd's image ID is sha256:<id>; Podman's is the same <id> for an image loaded from it
copy_images() {
  local image id
  for image in "$@"; do
    id=$(env -u DOCKER_HOST docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) ||
      die "$image is not in dockerd's storage (hack/images.sh builds it)"
    if [ "$(podman --url "unix://$PODMAN_SOCKET" image inspect -f '{{.Id}}' "$image" 2>/dev/null)" = "${id#sha256:}" ]; then
      continue
    fi
    log "copying $image from dockerd into Podman"
    env -u DOCKER_HOST docker save "$image" | podman --url "unix://$PODMAN_SOCKET" load >/dev/null
  done
}

stop_service() {
  local pid
  pid=$(cat "$PODMAN_PID" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  rm -f "$PODMAN_PID"
}

case "${1:-}" in
  "") start_service; echo "DOCKER_HOST=unix://$PODMAN_SOCKET" ;;
  images) shift; start_service; copy_images "$@" ;;
  stop) stop_service ;;
  *) die "usage: $0 [images IMAGE... | stop]" ;;
esac
