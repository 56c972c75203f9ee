#!/usr/bin/env bash
# A real management plane as local processes: etcd, kube-apiserver, kube-controller-manager and the upstream Cluster API
# core manager (webhooks served and registered, conversion included), with the upstream CAPI core CRDs installed.
#
#   hack/testenv.sh up       start it (idempotent); the last line printed is KUBECONFIG=<path>
#   hack/testenv.sh down     stop every process it started and remove everything it made
#   hack/testenv.sh status   say what runs
#   hack/testenv.sh apiserver-outage [SECONDS]   stop the API server for SECONDS (60), then start it again (fault suite)
#
# TESTENV_DIR (default target/testenv) holds certificates, data, logs and the admin kubeconfig. Ports are chosen free
# at start-up, so two planes with different TESTENV_DIRs do not collide.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TESTENV_DIR="${TESTENV_DIR:-$REPO_ROOT/target/testenv}"
STATE="$TESTENV_DIR/state.env"
BIN_DIR="$TOOLS_DIR/bin"
CAPI_SRC="$TOOLS_DIR/cluster-api-src"
PROCESSES=(etcd kube-apiserver kube-controller-manager cluster-api-manager)

# A free port below the kernel's ephemeral range: one above it can be taken by any outgoing connection between choosing
# it and binding it (a CI run lost the second plane's CAPI manager so: "bind: address already in use").
free_port() {
  local port low=20000 high
  high=$(awk '{print $1 - 1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32767)
  [ "${high:-0}" -gt $((low + 2000)) ] 2>/dev/null || high=32767
  while :; do
    port=$((low + RANDOM % (high - low)))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

pid_alive() { [ -f "$TESTENV_DIR/$1.pid" ] && kill -0 "$(cat "$TESTENV_DIR/$1.pid")" 2>/dev/null; }

# Prints the tail of every log, so a failure shows its cause without a second run.
print_logs() {
  for p in "${PROCESSES[@]}"; do
    [ -f "$TESTENV_DIR/logs/$p.log" ] || continue
    echo "----- $p (last 40 lines of $TESTENV_DIR/logs/$p.log) -----" >&2
    tail -n 40 "$TESTENV_DIR/logs/$p.log" >&2
  done
}

start_process() {
  local name=$1; shift
  setsid "$@" >>"$TESTENV_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$TESTENV_DIR/$name.pid"
}

wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then log "$what not ready after ${timeout}s"; return 1; fi
    sleep 0.5
  done
}

kubectl_admin() { "$BIN_DIR/kubectl" --kubeconfig "$TESTENV_DIR/admin.kubeconfig" "$@"; }

make_certificates() {
  local pki="$TESTENV_DIR/pki"
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=capd-java-testenv-ca" 2>/dev/null
    sign() { # name subject extensions
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 2 \
        -extfile "$1.ext" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    local san="subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
    sign apiserver "/CN=kube-apiserver" "$san"$'\n'"extendedKeyUsage=serverAuth"
    sign admin "/O=system:masters/CN=capd-java-admin" "extendedKeyUsage=clientAuth"
    sign webhook "/CN=capi-webhook" "subjectAltName=IP:127.0.0.1,DNS:localhost"$'\n'"extendedKeyUsage=serverAuth"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    mkdir -p webhook-certs && cp webhook.crt webhook-certs/tls.crt && cp webhook.key webhook-certs/tls.key
  )
}

write_kubeconfig() {
  local pki="$TESTENV_DIR/pki"
  cat >"$TESTENV_DIR/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: capd-java-testenv
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(base64 -w0 <"$pki/admin.crt")
    client-key-data: $(base64 -w0 <"$pki/admin.key")
contexts:
- name: capd-java-testenv
  context: {cluster: capd-java-testenv, user: admin}
current-context: capd-java-testenv
EOF
  chmod 600 "$TESTENV_DIR/admin.kubeconfig"
}

# Upstream manifests address webhooks through a Service in the management cluster; ours run as a local process, so
# every clientConfig.service becomes a url on 127.0.0.1 with our CA bundle.
point_webhooks_at_local_manager() {
  local ca; ca=$(base64 -w0 <"$TESTENV_DIR/pki/ca.crt")
  awk -v base="https://127.0.0.1:$CAPI_WEBHOOK_PORT" -v ca="$ca" '
    /^ *clientConfig: *$/ { cc = 1; print; next }
    cc && /^ *service: *$/ { indent = match($0, /[^ ]/) - 1; inservice = 1; cc = 0; next }
    { cc = 0 }
    inservice && /^ *(name|namespace|port): / { next }
    inservice && /^ *path: / {
      path = $0; sub(/^ *path: */, "", path)
      printf "%*scaBundle: %s\n%*surl: %s%s\n", indent, "", ca, indent, "", base, path
      inservice = 0; next
    }
    { print }'
}

install_capi_crds() {
  "$BIN_DIR/kubectl" kustomize --load-restrictor LoadRestrictionsNone "$CAPI_SRC/core/config/crd" |
    point_webhooks_at_local_manager >"$TESTENV_DIR/capi-crds.yaml"
  kubectl_admin apply --server-side -f "$TESTENV_DIR/capi-crds.yaml" >/dev/null
  kubectl_admin label crd -l '!cluster.x-k8s.io/provider' --overwrite cluster.x-k8s.io/provider=cluster-api \
    >/dev/null
  kubectl_admin wait --for condition=established --timeout=60s crd --all >/dev/null
}

register_capi_webhooks() {
  sed -e 's/^  name: \(mutating\|validating\)-webhook-configuration$/  name: capi-\1-webhook-configuration/' \
    "$CAPI_SRC/core/config/webhook/manifests.yaml" | point_webhooks_at_local_manager >"$TESTENV_DIR/capi-webhooks.yaml"
  kubectl_admin apply --server-side -f "$TESTENV_DIR/capi-webhooks.yaml" >/dev/null
}

up() {
  if [ -f "$STATE" ] && pid_alive kube-apiserver && pid_alive cluster-api-manager; then
    log "management plane already runs in $TESTENV_DIR"
    echo "KUBECONFIG=$TESTENV_DIR/admin.kubeconfig"
    return 0
  fi
  [ -f "$STATE" ] && down
  [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/cluster-api-manager" ] || "$HACK_DIR/tools.sh" >&2
  local start=$SECONDS attempt
  # a free port can be taken by another process before ours binds it; a failed start is retried on new ports
  for attempt in 1 2 3; do
    if start_plane; then
      log "management plane up in $((SECONDS - start))s ($TESTENV_DIR, apiserver :$APISERVER_PORT)"
      echo "KUBECONFIG=$TESTENV_DIR/admin.kubeconfig"
      return 0
    fi
    print_logs
    log "start attempt $attempt failed"
    stop_processes
    rm -rf "$TESTENV_DIR"
  done
  die "the management plane did not start"
}

start_apiserver() {
  local pki="$TESTENV_DIR/pki" audit=()
  # TESTENV_AUDIT_LOG=FILE: every request's metadata (who, user agent, verb, resource) as JSON lines, for benchmarks
  # that count the API requests a provider makes
  if [ -n "${TESTENV_AUDIT_LOG:-}" ]; then
    printf 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n' \
      >"$TESTENV_DIR/audit-policy.yaml"
    audit=(--audit-policy-file "$TESTENV_DIR/audit-policy.yaml" --audit-log-path "$TESTENV_AUDIT_LOG"
      --audit-log-format json --audit-log-maxsize 0)
  fi
  start_process kube-apiserver "$BIN_DIR/kube-apiserver" "${audit[@]}" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
    --secure-port "$APISERVER_PORT" --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode RBAC --allow-privileged=true \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range 10.96.0.0/16 \
    --disable-admission-plugins ServiceAccount
  wait_for kube-apiserver 60 kubectl_admin get --raw /readyz
}

stop_process() {
  local p=$1 pid
  pid_alive "$p" || return 0
  pid=$(cat "$TESTENV_DIR/$p.pid")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

# The fault suite's management API outage: the API server stops (connections refused) and comes back on the same
# port with the same state (etcd keeps running).
apiserver_outage() {
  local seconds=$1
  [ -f "$STATE" ] || die "no management plane in $TESTENV_DIR"
  source "$STATE"
  stop_process kube-apiserver
  log "kube-apiserver stopped for ${seconds}s"
  sleep "$seconds"
  start_apiserver || { print_logs; die "kube-apiserver did not come back"; }
  log "kube-apiserver serving again"
}

start_plane() {
  mkdir -p "$TESTENV_DIR/logs" "$TESTENV_DIR/etcd"
  {
    echo "ETCD_PORT=$(free_port)"; echo "ETCD_PEER_PORT=$(free_port)"; echo "APISERVER_PORT=$(free_port)"
    echo "KCM_PORT=$(free_port)"; echo "CAPI_WEBHOOK_PORT=$(free_port)"; echo "CAPI_HEALTH_PORT=$(free_port)"
    echo "CAPI_METRICS_PORT=$(free_port)"
  } >"$STATE"
  source "$STATE"
  make_certificates
  write_kubeconfig
  local pki="$TESTENV_DIR/pki"

  start_process etcd "$BIN_DIR/etcd" --name testenv --data-dir "$TESTENV_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "testenv=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health" || return 1

  start_apiserver || return 1

  # The garbage collector is what removes objects whose owners are gone; CAPI relies on owner references.
  start_process kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$TESTENV_DIR/admin.kubeconfig" --authentication-kubeconfig "$TESTENV_DIR/admin.kubeconfig" \
    --authorization-kubeconfig "$TESTENV_DIR/admin.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --controllers '*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route'
  wait_for kube-controller-manager 60 curl -skf "https://127.0.0.1:$KCM_PORT/healthz" || return 1

  install_capi_crds || return 1
  start_process cluster-api-manager env KUBECONFIG="$TESTENV_DIR/admin.kubeconfig" "$BIN_DIR/cluster-api-manager" \
    --leader-elect=false \
    --webhook-port "$CAPI_WEBHOOK_PORT" --webhook-cert-dir "$pki/webhook-certs" \
    --health-addr "127.0.0.1:$CAPI_HEALTH_PORT" --diagnostics-address "127.0.0.1:$CAPI_METRICS_PORT" --insecure-diagnostics \
    --feature-gates ClusterTopology=true,MachinePool=true
  wait_for cluster-api-manager 90 curl -sf "http://127.0.0.1:$CAPI_HEALTH_PORT/readyz" || return 1
  wait_for "cluster-api webhooks" 30 curl -sk "https://127.0.0.1:$CAPI_WEBHOOK_PORT/" || return 1
  # the manager answers its probes before all its listeners are up; one that fails to bind exits a moment later
  wait_for "cluster-api metrics" 30 curl -sf "http://127.0.0.1:$CAPI_METRICS_PORT/metrics" || return 1
  pid_alive cluster-api-manager || { log "cluster-api-manager exited after it started"; return 1; }
  register_capi_webhooks || return 1

  return 0
}

stop_processes() {
  local i
  # reverse order: the manager and controllers go before the API server, etcd last
  for ((i = ${#PROCESSES[@]} - 1; i >= 0; i--)); do
    stop_process "${PROCESSES[$i]}"
  done
}

down() {
  [ -d "$TESTENV_DIR" ] || { log "nothing to stop in $TESTENV_DIR"; return 0; }
  stop_processes
  rm -rf "$TESTENV_DIR"
  log "management plane stopped; $TESTENV_DIR removed"
}

status() {
  if [ ! -f "$STATE" ]; then echo "not running ($TESTENV_DIR)"; return 1; fi
  local rc=0
  for p in "${PROCESSES[@]}"; do
    if pid_alive "$p"; then echo "$p: running (pid $(cat "$TESTENV_DIR/$p.pid"))"; else echo "$p: stopped"; rc=1; fi
  done
  echo "KUBECONFIG=$TESTENV_DIR/admin.kubeconfig"
  return $rc
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  apiserver-outage) apiserver_outage "${2:-60}" ;;
  *) echo "usage: $0 up|down|status|apiserver-outage [SECONDS]" >&2; exit 2 ;;
esac
