package io.capdjava.docker.inmemory.workload;

import java.util.List;
import java.util.Optional;

/**
 * The kinds a simulated workload cluster serves: what CAPI core (Nodes, Pods and Namespaces for drain,
 * VolumeAttachments while waiting for volumes to detach), KCP (static pods, kubeadm's ConfigMaps, RBAC, kube-proxy,
 * CoreDNS), CABPK (bootstrap token Secrets) and clusterctl ask of a workload cluster; upstream's in-memory API server
 * serves the same set.
 */
public final class ResourceTypes {
  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public static final ResourceType NAMESPACES = core("namespaces", "namespace", "Namespace", false, "ns");
  public static final ResourceType NODES = core("nodes", "node", "Node", false, "no");
  public static final ResourceType PODS = core("pods", "pod", "Pod", true, "po");
  public static final ResourceType CONFIG_MAPS = core("configmaps", "configmap", "ConfigMap", true, "cm");
  public static final ResourceType SECRETS = core("secrets", "secret", "Secret", true);
  public static final ResourceType SERVICES = core("services", "service", "Service", true, "svc");
  public static final ResourceType SERVICE_ACCOUNTS = core("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa");
  public static final ResourceType ENDPOINTS = core("endpoints", "endpoints", "Endpoints", true, "ep");
  public static final ResourceType EVENTS = core("events", "event", "Event", true, "ev");
  public static final ResourceType DEPLOYMENTS = of("apps", "deployments", "deployment", "Deployment", true, "deploy");
  public static final ResourceType DAEMON_SETS = of("apps", "daemonsets", "daemonset", "DaemonSet", true, "ds");
  public static final ResourceType CLUSTER_ROLES =
      of("rbac.authorization.k8s.io", "clusterroles", "clusterrole", "ClusterRole", false);
  public static final ResourceType CLUSTER_ROLE_BINDINGS =
      of("rbac.authorization.k8s.io", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false);
  public static final ResourceType ROLES = of("rbac.authorization.k8s.io", "roles", "role", "Role", true);
  public static final ResourceType ROLE_BINDINGS =
      of("rbac.authorization.k8s.io", "rolebindings", "rolebinding", "RoleBinding", true);
  public static final ResourceType VOLUME_ATTACHMENTS =
      of("storage.k8s.io", "volumeattachments", "volumeattachment", "VolumeAttachment", false);
  public static final ResourceType CSI_DRIVERS = of("storage.k8s.io", "csidrivers", "csidriver", "CSIDriver", false);
  public static final ResourceType POD_DISRUPTION_BUDGETS =
      of("policy", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, "pdb");
  public static final ResourceType LEASES = of("coordination.k8s.io", "leases", "lease", "Lease", true);
  public static final ResourceType CUSTOM_RESOURCE_DEFINITIONS = of("apiextensions.k8s.io",
      "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, "crd", "crds");

  public static final List<ResourceType> ALL = List.of(NAMESPACES, NODES, PODS, CONFIG_MAPS, SECRETS, SERVICES,
      SERVICE_ACCOUNTS, ENDPOINTS, EVENTS, DEPLOYMENTS, DAEMON_SETS, CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, ROLES,
      ROLE_BINDINGS, VOLUME_ATTACHMENTS, CSI_DRIVERS, POD_DISRUPTION_BUDGETS, LEASES, CUSTOM_RESOURCE_DEFINITIONS);

  private ResourceTypes() {}

  /** The type a request path names ({@code group} empty for {@code /api/v1}). */
  public static Optional<ResourceType> byPath(String group, String version, String plural) {
    return ALL.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }

  private static ResourceType core(String plural, String singular, String kind, boolean namespaced,
      String... shortNames) {
    return new ResourceType("", "v1", plural, singular, kind, namespaced, List.of(shortNames), ALL_VERBS);
  }

  private static ResourceType of(String group, String plural, String singular, String kind, boolean namespaced,
      String... shortNames) {
    return new ResourceType(group, "v1", plural, singular, kind, namespaced, List.of(shortNames), ALL_VERBS);
  }
}
