#!/usr/bin/env bash
# The test command: installs what the tests need (Docker engine, Go-built Kubernetes and CAPI binaries, offline
# images), starts one management plane for the whole run, runs every module's tests with `mvn verify`, then the
# Kubernetes upgrade e2e (through the releases UPGRADE_FROM_VERSION -> KUBERNETES_VERSION -> UPGRADE_TO_VERSION of
# hack/versions.env) and the Podman group (our runtime and the quick-start cluster on Podman's Docker-compatible service,
# which hack/podman.sh installs and starts), and stops the plane again; then upstream's e2e spec quick-start (hack/upstream-e2e.sh). Caches
# under ~/.cache/capd-java make a second run fast. Extra arguments go to Maven.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

start=$SECONDS
"$HACK_DIR/docker.sh"
"$HACK_DIR/tools.sh"
"$HACK_DIR/images.sh"
log "environment ready in $((SECONDS - start))s"

# The node images of the upgrade e2e's other releases and upstream's e2e test binary are Go builds of several minutes
# each on a cold machine. They run at idle CPU and I/O priority while the module tests run, which mostly wait on
# containers: the tests keep the CPU whenever they want it.
mkdir -p target
background_log="$REPO_ROOT/target/background-builds.log"
(
  nice -n 19 ionice -c 3 "$HACK_DIR/podman.sh" images capd-java/debian-base:bookworm &&
    nice -n 19 ionice -c 3 "$HACK_DIR/images.sh" node "$UPGRADE_FROM_VERSION" "$UPGRADE_TO_VERSION" &&
    nice -n 19 ionice -c 3 "$HACK_DIR/tools.sh" e2e
) >"$background_log" 2>&1 &
background=$!

export TESTENV_DIR="$REPO_ROOT/target/testenv-ci"
# a failed or interrupted run stops the background builds too (the subshell's children: images.sh, tools.sh, go)
kill_tree() { local child; for child in $(pgrep -P "$1"); do kill_tree "$child"; done; kill "$1" 2>/dev/null || true; }
trap 'kill_tree "$background"; "$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true' EXIT
KUBECONFIG=$("$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
export KUBECONFIG

maven_args=(-B -ntp)
# CI must fail when the committed CRD YAML is not what the classes generate
[ "${CI:-}" = "true" ] && maven_args+=(-Dcrds.verify=true)
mvn "${maven_args[@]}" install "$@"
log "module tests done in $((SECONDS - start))s"

waited=$SECONDS
wait "$background" || { tail -n 30 "$background_log" >&2; die "background builds failed (log: $background_log)"; }
log "background builds (Podman, node images $UPGRADE_FROM_VERSION $UPGRADE_TO_VERSION, upstream's e2e binary) waited for: $((SECONDS - waited))s"
mvn "${maven_args[@]}" verify -pl capd-controller,e2e -Dexcluded.test.groups=on-demand -Dgroups=upgrade,podman \
  -Dsurefire.failIfNoSpecifiedTests=false "$@"
log "upgrade and Podman e2e done in $((SECONDS - start))s"

# Upstream Cluster API's own e2e suite, unchanged, against our providers: quick-start (the rest:
# hack/test-on-demand.sh). UPSTREAM_E2E_SPECS= (empty) skips it.
specs=${UPSTREAM_E2E_SPECS-quick-start}
if [ -n "$specs" ]; then
  "$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true
  trap '"$HACK_DIR/quickstart.sh" down >/dev/null 2>&1 || true' EXIT
  # shellcheck disable=SC2086
  (unset KUBECONFIG; "$HACK_DIR/upstream-e2e.sh" $specs)
fi
log "tests done in $((SECONDS - start))s"
