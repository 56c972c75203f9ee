#!/usr/bin/env bash
# The long suites that do not fit CI's budget, run on demand; results go into the session note.
#
#   hack/test-on-demand.sh [java|faults|upstream|all]     (default: all)
#
#   java       the e2e specs tagged "on-demand" (JUnit), on a management plane of their own, as hack/test.sh runs
#              the rest; the older release of the three control plane upgrade ($UPGRADE_FROM, default
#              UPGRADE_FROM_VERSION of hack/versions.env) is built first
#   faults     only the fault suite (JUnit tag "faults", part of "java"): providers killed at named crash points,
#              containers lost, the management API down for a minute, the Docker engine restarted (ours:
#              hack/docker.sh restart), clusters created and deleted 20 times (-Dcapd.cycles=N via MAVEN_ARGS)
#   upstream   every spec hack/upstream-e2e.sh knows (upstream Cluster API's own e2e suite, unchanged), one line each
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

what=${1:-all}
case "$what" in java|faults|upstream|all) ;; *) die "usage: $0 [java|faults|upstream|all]" ;; esac
groups=on-demand
[ "$what" = faults ] && groups=faults
status=0

if [ "$what" != upstream ]; then
  "$HACK_DIR/docker.sh"
  "$HACK_DIR/tools.sh"
  "$HACK_DIR/images.sh"
  UPGRADE_FROM=${UPGRADE_FROM:-$UPGRADE_FROM_VERSION}
  [ "$what" = faults ] || "$HACK_DIR/images.sh" node "$UPGRADE_FROM"
  export TESTENV_DIR="$REPO_ROOT/target/testenv-on-demand"
  trap '"$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true' EXIT
  KUBECONFIG=$("$HACK_DIR/testenv.sh" up | sed -n 's/^KUBECONFIG=//p' | tail -n 1) || die "no management plane"
  # the modules the e2e specs use, then the specs tagged on-demand (and only those)
  KUBECONFIG=$KUBECONFIG mvn -B -ntp install -DskipTests || die "build failed"
  # shellcheck disable=SC2086
  KUBECONFIG=$KUBECONFIG mvn -B -ntp verify -pl e2e -Dexcluded.test.groups= -Dgroups="$groups" \
    -Dcapd.upgrade.from="$UPGRADE_FROM" ${MAVEN_ARGS:-} \
    -Dsurefire.failIfNoSpecifiedTests=false || status=1
  "$HACK_DIR/testenv.sh" down >/dev/null 2>&1 || true
  trap - EXIT
fi

if [ "$what" = upstream ] || [ "$what" = all ]; then
  # one spec per run: a failure or leak in one does not hide the next
  for spec in $("$HACK_DIR/upstream-e2e.sh" --list | awk '{print $1}'); do
    "$HACK_DIR/upstream-e2e.sh" "$spec" 2>&1 | grep -E '^(PASS|FAIL) |LEAK|ERROR' || status=1
  done
  "$HACK_DIR/quickstart.sh" down >/dev/null 2>&1 || true
fi
exit $status
