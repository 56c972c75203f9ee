#!/usr/bin/env bash
# The test command: installs what the tests need (Docker engine, Go-built Kubernetes and CAPI binaries, offline
# images), starts one management plane for the whole run, runs every module's tests with `mvn verify`, and stops the
# plane again. Caches under ~/.cache/capd-java make a second run fast. Extra arguments go to Maven.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

start=$SECONDS
"$HACK_DIR/docker.sh"
"$HACK_DIR/tools.sh"
"$HACK_DIR/images.sh"
log "environment ready in $((SECONDS - start))s"

export TESTENV_DIR="$REPO_ROOT/target/testenv-ci"
trap '"$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true' EXIT
KUBECONFIG=$("$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
export KUBECONFIG

maven_args=(-B -ntp verify)
# CI must fail when the committed CRD YAML is not what the classes generate
[ "${CI:-}" = "true" ] && maven_args+=(-Dcrds.verify=true)
mvn "${maven_args[@]}" "$@"
log "tests done in $((SECONDS - start))s"
