#!/usr/bin/env bash
# Speed against the raw limit, in one run (the numbers go into the note; nothing here passes or fails on a time):
#   - for 1 CP + 1 worker and for 3 CP + 2 workers: apply -> Cluster Available with our providers, the time of each
#     hand-off (from the objects' conditions), delete -> Cluster gone; then the raw limit: the same containers and the
#     same kubeadm init and join done directly against the engine, no controllers (e2e CriticalPathBenchTest); the ratio;
#   - then the Docker provider alone with N lite machines (hack/bench-capd.sh N: trivial bootstrap, no kubeadm):
#     provisioning overhead per machine, resident memory at rest and loaded.
#
#   hack/bench.sh [N]      (default N=50)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

N=${1:-50}
"$HACK_DIR/docker.sh"
"$HACK_DIR/tools.sh"
"$HACK_DIR/images.sh"
export TESTENV_DIR="$REPO_ROOT/target/bench/plane"
rm -f target/bench/critical-path.txt
trap '"$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true' EXIT
KUBECONFIG=$("$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1)
export KUBECONFIG
[ -f e2e/target/test-classes/io/capdjava/e2e/chain/CriticalPathBenchTest.class ] ||
  mvn -B -q -ntp -DskipTests install >/dev/null
mvn -B -ntp -o verify -pl e2e -Dgroups=bench -Dexcluded.test.groups= -Dsurefire.failIfNoSpecifiedTests=false \
  >target/bench/critical-path.log 2>&1 || { tail -n 40 target/bench/critical-path.log >&2; die "the bench failed"; }
"$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true
cat target/bench/critical-path.txt
"$HACK_DIR/bench-capd.sh" "$N"
