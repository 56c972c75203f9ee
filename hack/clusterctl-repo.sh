#!/usr/bin/env bash
# Lays out a local clusterctl repository ({basepath}/{provider-label}/{version}/{file}) and a clusterctl.yaml that
# registers it, so `clusterctl init` and `clusterctl generate cluster` need no GitHub:
#   infrastructure-javadocker, bootstrap-javakubeadm, control-plane-javakubeadm   from the packaging module's build
#   cluster-api (core)   rendered from the CAPI module source hack/tools.sh fetched (kubectl kustomize of
#                        core/config/default), the same manifests as the release's core-components.yaml
#
#   hack/clusterctl-repo.sh [--offline] [OUT_DIR]        (OUT_DIR default: target/clusterctl-repo)
#   clusterctl init --config OUT_DIR/clusterctl.yaml \
#     --infrastructure javadocker --bootstrap javakubeadm --control-plane javakubeadm
#
# --offline: for a management cluster that cannot pull cert-manager. clusterctl init insists on a cert-manager API
# (cmd/clusterctl/client/cluster/cert_manager.go: it creates a test Issuer and Certificate, and installs cert-manager
# from `cert-manager.url` when that fails). Only CAPI core needs certificates (its webhooks); ours serve none. So:
#   - core's webhook serving certificate is issued here (openssl, a CA of its own) and shipped in core-components.yaml
#     as the Secret cert-manager would have written, its CA set as caBundle on core's webhooks and conversion
#     webhooks; core's cert-manager Certificate and Issuer are left out;
#   - `cert-manager.url` points at cert-manager/v0.0.0-api-only/cert-manager.yaml: only the Issuer and Certificate
#     CRDs, enough for clusterctl's check and nothing more (nothing issues certificates). On a machine with
#     internet, `clusterctl upgrade apply` replaces it with the real cert-manager (a higher version).
#   - core's image is docker.io/capd-java/cluster-api-controller:$CAPI_VERSION, which `hack/images.sh operators` builds from
#     the Go-built manager, instead of registry.k8s.io's.
# The private key of that certificate is written under OUT_DIR (mode 600); treat the folder like a kubeconfig.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OFFLINE=false
if [ "${1:-}" = "--offline" ]; then OFFLINE=true; shift; fi
OUT="${1:-$REPO_ROOT/target/clusterctl-repo}"
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
BUILT="$REPO_ROOT/packaging/target/clusterctl-repo"
BIN_DIR="$TOOLS_DIR/bin"
CAPI_SRC="$TOOLS_DIR/cluster-api-src"
CERT_MANAGER_STANDIN_VERSION=v0.0.0-api-only
CORE_NAMESPACE=capi-system
CORE_WEBHOOK_SERVICE=capi-webhook-service

# the version folder the packaging module wrote (one per build)
provider_version() {
  local dirs=("$BUILT/$1"/v*)
  [ ${#dirs[@]} -eq 1 ] && [ -d "${dirs[0]}" ] || die "expected one version under $BUILT/$1, found: ${dirs[*]}"
  basename "${dirs[0]}"
}

copy_providers() {
  if [ ! -d "$BUILT" ]; then
    log "building the packaging module (mvn -pl packaging package)"
    (cd "$REPO_ROOT" && mvn -B -q -ntp -pl packaging -am package -DskipTests) >&2
  fi
  local label
  for label in infrastructure-javadocker bootstrap-javakubeadm control-plane-javakubeadm; do
    rm -rf "${OUT:?}/$label"
    cp -r "$BUILT/$label" "$OUT/$label"
  done
}

# core/config/default with the release image (kustomize's images: and a pull policy a loaded image satisfies)
render_core() {
  local image=$1 work=$2
  mkdir -p "$work/overlay"
  cat >"$work/overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- $(realpath --relative-to="$work/overlay" "$CAPI_SRC/core/config/default")
images:
- name: gcr.io/k8s-staging-cluster-api/cluster-api-controller
  newName: ${image%:*}
  newTag: ${image##*:}
patches:
- target: {kind: Deployment, name: capi-controller-manager}
  patch: |
    - op: replace
      path: /spec/template/spec/containers/0/imagePullPolicy
      value: IfNotPresent
EOF
  "$BIN_DIR/kubectl" kustomize --load-restrictor LoadRestrictionsNone "$work/overlay"
}

# The serving certificate cert-manager would issue for core's webhook Service; sets CORE_CA_BUNDLE.
issue_core_webhook_certificate() {
  local pki=$1 svc="$CORE_WEBHOOK_SERVICE.$CORE_NAMESPACE.svc"
  mkdir -p "$pki" && chmod 700 "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 3650 \
    -subj "/CN=capd-java offline cluster-api webhook CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$pki/tls.key" -out "$pki/tls.csr" -subj "/CN=$svc" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:%s.cluster.local\nextendedKeyUsage=serverAuth\n' "$svc" "$svc" >"$pki/tls.ext"
  openssl x509 -req -in "$pki/tls.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
    -extfile "$pki/tls.ext" -out "$pki/tls.crt" 2>/dev/null
  rm -f "$pki/tls.csr" "$pki/tls.ext" "$pki/ca.srl"
  chmod 600 "$pki"/*.key
  CORE_CA_BUNDLE=$(base64 -w0 <"$pki/ca.crt")
}

# Drops cert-manager's objects from the rendered core and puts the issued certificate in their place.
core_without_cert_manager() {
  local pki=$1
  awk -v ca="$CORE_CA_BUNDLE" '
    function flush() { if (doc != "" && ("\n" doc) !~ /\napiVersion: cert-manager\.io\//) printf "%s", doc; doc = "" }
    /^---$/ { flush(); doc = "---\n"; cc = 0; next }
    # a webhook clientConfig (followed by service:), not a schema property of that name
    cc && /^ *service: *$/ { doc = doc sprintf("%*scaBundle: %s\n", match($0, /[^ ]/) - 1, "", ca) }
    { cc = ($0 ~ /^ *clientConfig: *$/); doc = doc $0 "\n" }
    END { flush() }'
  cat <<EOF
---
apiVersion: v1
kind: Secret
metadata:
  name: $CORE_WEBHOOK_SERVICE-cert
  namespace: $CORE_NAMESPACE
  labels:
    cluster.x-k8s.io/provider: cluster-api
type: kubernetes.io/tls
data:
  ca.crt: $(base64 -w0 <"$pki/ca.crt")
  tls.crt: $(base64 -w0 <"$pki/tls.crt")
  tls.key: $(base64 -w0 <"$pki/tls.key")
EOF
}

# Just the API clusterctl probes: cert-manager's Issuer and Certificate kinds, schemaless.
cert_manager_standin() {
  local kind plural
  echo "# Not cert-manager: the two kinds clusterctl init creates to see that a cert-manager API is there (written by"
  echo "# hack/clusterctl-repo.sh --offline). Nothing issues certificates; core's webhook certificate is pre-issued."
  for kind in Issuer Certificate; do
    plural=$(echo "${kind}s" | tr '[:upper:]' '[:lower:]')
    cat <<EOF
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: $plural.cert-manager.io
spec:
  group: cert-manager.io
  scope: Namespaced
  names: {kind: $kind, listKind: ${kind}List, plural: $plural, singular: $(echo "$kind" | tr '[:upper:]' '[:lower:]')}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
EOF
  done
}

write_core() {
  local image=$1 dir="$OUT/cluster-api/$CAPI_VERSION" work
  [ -d "$CAPI_SRC/core/config/default" ] && [ -x "$BIN_DIR/kubectl" ] || "$HACK_DIR/tools.sh" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$CAPI_SRC/metadata.yaml" "$dir/metadata.yaml"
  work=$(mktemp -d)
  render_core "$image" "$work" >"$work/core.yaml"
  if $OFFLINE; then
    issue_core_webhook_certificate "$OUT/pki"
    core_without_cert_manager "$OUT/pki" <"$work/core.yaml" >"$dir/core-components.yaml"
    chmod 600 "$dir/core-components.yaml"
  else
    mv "$work/core.yaml" "$dir/core-components.yaml"
  fi
  rm -rf "$work"
}

write_config() {
  local infra bootstrap cp
  infra=$(provider_version infrastructure-javadocker)
  bootstrap=$(provider_version bootstrap-javakubeadm)
  cp=$(provider_version control-plane-javakubeadm)
  {
    echo "# Written by hack/clusterctl-repo.sh$($OFFLINE && echo ' --offline'). Use: clusterctl init --config $OUT/clusterctl.yaml ..."
    echo "providers:"
    echo "- name: cluster-api"
    echo "  type: CoreProvider"
    echo "  url: file://$OUT/cluster-api/$CAPI_VERSION/core-components.yaml"
    echo "- name: javadocker"
    echo "  type: InfrastructureProvider"
    echo "  url: file://$OUT/infrastructure-javadocker/$infra/infrastructure-components.yaml"
    echo "- name: javakubeadm"
    echo "  type: BootstrapProvider"
    echo "  url: file://$OUT/bootstrap-javakubeadm/$bootstrap/bootstrap-components.yaml"
    echo "- name: javakubeadm"
    echo "  type: ControlPlaneProvider"
    echo "  url: file://$OUT/control-plane-javakubeadm/$cp/control-plane-components.yaml"
    if $OFFLINE; then
      echo "cert-manager:"
      echo "  url: file://$OUT/cert-manager/$CERT_MANAGER_STANDIN_VERSION/cert-manager.yaml"
      echo "  version: $CERT_MANAGER_STANDIN_VERSION"
      echo "# no GitHub: do not ask it for a newer clusterctl"
      echo "CLUSTERCTL_DISABLE_VERSIONCHECK: \"true\""
    fi
  } >"$OUT/clusterctl.yaml"
}

main() {
  copy_providers
  if $OFFLINE; then
    write_core "docker.io/capd-java/cluster-api-controller:$CAPI_VERSION"
    rm -rf "$OUT/cert-manager" && mkdir -p "$OUT/cert-manager/$CERT_MANAGER_STANDIN_VERSION"
    cert_manager_standin >"$OUT/cert-manager/$CERT_MANAGER_STANDIN_VERSION/cert-manager.yaml"
  else
    write_core "registry.k8s.io/cluster-api/cluster-api-controller:$CAPI_VERSION"
    rm -rf "$OUT/cert-manager" "$OUT/pki"
  fi
  write_config
  log "clusterctl repository in $OUT$($OFFLINE && echo ' (offline: pre-issued core webhook certificate, cert-manager API stand-in)')"
  echo "CLUSTERCTL_CONFIG=$OUT/clusterctl.yaml"
}

main "$@"
