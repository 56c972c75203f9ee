#!/usr/bin/env bash
# Makes sure a Docker engine answers. Installs Debian's docker.io and starts dockerd in the background when none does;
# never touches an engine that already runs (except `hack/docker.sh restart`, the fault suite's engine restart, which
# stops and starts a dockerd not run by systemd). Raises the host's inotify limits where root may, and reports whether
# --privileged works on this host.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKERD_LOG="$CACHE_ROOT/dockerd.log"

engine_answers() { docker info >/dev/null 2>&1; }

start_engine() {
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
  fi
  mkdir -p "$CACHE_ROOT"
  log "starting dockerd (log: $DOCKERD_LOG)"
  # Debian's docker.io leaves containerd to dockerd; setsid keeps it alive after this script and its session end.
  # from /, so the daemon never holds on to a checkout that may be removed (as hack/podman.sh's service)
  (cd / && exec setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null) &
  for _ in $(seq 1 60); do
    engine_answers && return 0
    sleep 1
  done
  tail -n 30 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer within 60s"
}

# Privileged containers need every capability the engine knows; some VMs lack one (CAP_SYS_RESOURCE) in their
# bounding set, so runc refuses. Providers must then use the restricted security profile.
privileged_supported() {
  grep -q . <(grep CapBnd /proc/self/status) || return 0
  local bnd; bnd=$(awk '/CapBnd/{print $2}' /proc/self/status)
  # bit 24 = CAP_SYS_RESOURCE
  (( (16#$bnd >> 24) & 1 ))
}

# Each node container's containerd and kubelet take inotify instances (14-27 of them); at the kernel's default of 128
# per user, containerd on about the 8th node fails ("failed to create fsnotify watcher"). Raised to kind's documented
# values where root may; where it may not, say so.
raise_inotify_limits() {
  local key want have
  for key in max_user_instances:512 max_user_watches:524288; do
    want=${key#*:}; key=${key%%:*}
    have=$(cat "/proc/sys/fs/inotify/$key" 2>/dev/null || echo 0)
    [ "$have" -ge "$want" ] && continue
    if (echo "$want" >"/proc/sys/fs/inotify/$key") 2>/dev/null; then
      log "fs.inotify.$key raised from $have to $want"
    else
      log "fs.inotify.$key is $have (kind recommends $want) and cannot be raised here; clusters of more than a few" \
        "nodes may fail with 'failed to create fsnotify watcher'"
    fi
  done
}

# The fault suite's engine restart: dockerd stops as on a host shutdown (it stops the containers), then starts again;
# containers come back by their restart policy (on-failure, as kind's).
restart_engine() {
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker 2>/dev/null; then
    die "dockerd is run by systemd here: restart it with systemctl restart docker"
  fi
  local pid; pid=$(pgrep -x dockerd | head -n 1)
  [ -n "$pid" ] || die "no dockerd runs"
  log "stopping dockerd (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 90); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) did not stop within 90s"
  start_engine
  log "docker engine restarted"
}

main() {
  if [ "${1:-}" = restart ]; then restart_engine; return; fi
  raise_inotify_limits
  if engine_answers; then
    log "docker engine already answers: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
  else
    start_engine
    log "docker engine started: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
  fi
  if privileged_supported; then
    log "security profile: privileged containers are allowed on this host"
  else
    log "security profile: --privileged is refused on this host (CAP_SYS_RESOURCE missing from the bounding set); providers must use the 'restricted' profile"
  fi
}

main "$@"
