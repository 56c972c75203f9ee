# CAPI core's manager built by hack/tools.sh (a static Go binary), for management clusters that cannot pull
# registry.k8s.io/cluster-api/cluster-api-controller (hack/clusterctl-repo.sh --offline refers to it).
ARG BASE
FROM ${BASE}
COPY cluster-api-manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
