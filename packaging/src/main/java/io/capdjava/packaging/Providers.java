package io.capdjava.packaging;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/**
 * Our three providers as clusterctl installs them. Each rule names the code that needs it: a verb no code uses is not
 * granted. Informers (JOSDK primary resources and InformerEventSources) need get/list/watch; Finalizers and
 * JOSDK's status updates PATCH; ClusterSecrets sets blockOwnerDeletion, which needs update on the owner's finalizers.
 * Every manager also records Events and reviews tokens and access for its /metrics endpoint (MetricsAccessReview in
 * provider-core); its Lease rules are a Role in its namespace (ComponentsYaml).
 */
final class Providers {
  private static final String CORE = "cluster.x-k8s.io";
  private static final String INFRA = "infrastructure.cluster.x-k8s.io";
  private static final String BOOTSTRAP = "bootstrap.cluster.x-k8s.io";
  private static final String CONTROL_PLANE = "controlplane.cluster.x-k8s.io";
  private static final List<String> READ = List.of("get", "list", "watch");

  private Providers() {}

  static List<ProviderPackage> all() {
    return List.of(infrastructure(), bootstrap(), controlPlane());
  }

  static ProviderPackage infrastructure() {
    return new ProviderPackage("InfrastructureProvider", "javadocker", "infrastructure-javadocker",
        "infrastructure-components.yaml", "capd-java-system", "capd-java-", INFRA, "capd-controller",
        List.of("--security-profile=${CAPD_JAVA_SECURITY_PROFILE:=auto}",
            "--concurrency=${CAPD_JAVA_CONCURRENCY:=20}"),
        with(List.of(
            // Dev*/Docker* Cluster, Machine, MachineTemplate and MachinePool reconcilers: informers, Finalizers,
            // status patches, spec patches (providerID, providerIDList, controlPlaneEndpoint)
            rule(INFRA, List.of("devclusters", "devmachinetemplates", "devmachinepools",
                "dockerclusters", "dockermachinetemplates", "dockermachinepools"), "get", "list", "watch", "patch"),
            rule(INFRA, List.of("devclusters/status", "devmachines/status", "devmachinetemplates/status",
                "devmachinepools/status", "dockerclusters/status", "dockermachines/status",
                "dockermachinetemplates/status", "dockermachinepools/status"), "patch"),
            // the MachinePool reconcilers create and delete their instances' machines
            rule(INFRA, List.of("devmachines", "dockermachines"), "get", "list", "watch", "patch", "create", "delete"),
            // the Cluster, Machine and MachinePool informers; LoadBalancerConfiguration lists control-plane Machines
            rule(CORE, List.of("clusters", "machines", "machinepools"), READ),
            // a MachinePool scales down by deleting its instances' Machines, as upstream; the in-memory backend
            // annotates a bootstrapped Machine (machine.inmemory.infrastructure.cluster.x-k8s.io/bootstrapped)
            rule(CORE, List.of("machines"), "delete", "patch"),
            // bootstrap data secrets and <cluster>-kubeconfig (WorkloadClusterClients)
            rule("", List.of("secrets"), "get"),
            // LoadBalancerConfiguration: the user's custom HAProxy template
            rule("", List.of("configmaps"), "get")), managerRules()),
        true);
  }

  static ProviderPackage bootstrap() {
    return new ProviderPackage("BootstrapProvider", "javakubeadm", "bootstrap-javakubeadm",
        "bootstrap-components.yaml", "capd-java-bootstrap-system", "capd-java-bootstrap-", BOOTSTRAP,
        "bootstrap-kubeadm",
        // upstream CABPK's variable, same default
        List.of("--bootstrap-token-ttl=${KUBEADM_BOOTSTRAP_TOKEN_TTL:=15m}"),
        with(List.of(
            // KubeadmConfigReconciler: informer, Finalizers, spec and status patches
            rule(BOOTSTRAP, List.of("kubeadmconfigs"), "get", "list", "watch", "patch"),
            rule(BOOTSTRAP, List.of("kubeadmconfigs/status"), "patch"),
            // owner of the bootstrap data secret (blockOwnerDeletion)
            rule(BOOTSTRAP, List.of("kubeadmconfigs/finalizers"), "update"),
            // owners of KubeadmConfigs: Machines and MachinePools (their version, replicas and nodeRefs)
            rule(CORE, List.of("clusters", "machines", "machinepools"), READ),
            // BootstrapDataGeneration reads the Cluster's control plane, whatever its kind, for its version
            rule(CONTROL_PLANE, List.of("*"), "get"),
            // BootstrapDataSecret (create or update, patch), SpecSources, ClusterCertificates, the kubeconfig
            rule("", List.of("secrets"), "get", "create", "update", "patch"),
            // ControlPlaneInitLock
            rule("", List.of("configmaps"), "get", "create", "delete")), managerRules()),
        false);
  }

  static ProviderPackage controlPlane() {
    return new ProviderPackage("ControlPlaneProvider", "javakubeadm", "control-plane-javakubeadm",
        "control-plane-components.yaml", "capd-java-control-plane-system", "capd-java-control-plane-",
        CONTROL_PLANE, "controlplane-kubeadm", List.of(),
        with(List.of(
            // KubeadmControlPlaneReconciler: informer, Finalizers, status patch
            rule(CONTROL_PLANE, List.of("kubeadmcontrolplanes"), "get", "list", "watch", "patch"),
            rule(CONTROL_PLANE, List.of("kubeadmcontrolplanes/status"), "patch"),
            // owner of Machines, KubeadmConfigs and the cluster's secrets (blockOwnerDeletion)
            rule(CONTROL_PLANE, List.of("kubeadmcontrolplanes/finalizers"), "update"),
            // ControlPlaneMachineCreation creates one per Machine (and deletes it when the Machine fails);
            // ControlPlaneScopeReader reads them; CertificatesExpiryAnnotation annotates them; DanglingMachineObjects
            // lists them to delete those of Machines never created
            rule(BOOTSTRAP, List.of("kubeadmconfigs"), "get", "list", "create", "delete", "patch"),
            // the infrastructure machine template (read, owner reference added) and its clones, whatever the kind
            // (listed as the KubeadmConfigs are)
            rule(INFRA, List.of("*"), "get", "list", "create", "delete", "patch"),
            rule(CORE, List.of("clusters"), READ),
            // Machine informer, creation, scale-down deletion, pre-terminate hook
            rule(CORE, List.of("machines"), "get", "list", "watch", "create", "delete", "patch"),
            // ControlPlaneMachineConditions
            rule(CORE, List.of("machines/status"), "update"),
            // ControlPlaneDeletion waits for the cluster's MachinePools
            rule(CORE, List.of("machinepools"), "list"),
            // cluster certificates and the <cluster>-kubeconfig secret; MachineAdoption lists the cluster's secrets
            // to take over those an adopted Machine's KubeadmConfig owns
            rule("", List.of("secrets"), "get", "list", "create", "patch"),
            // ContractApiVersions: the contract label of the infrastructure CRD
            rule("apiextensions.k8s.io", List.of("customresourcedefinitions"), "get")), managerRules()),
        false);
  }

  /**
   * What every manager does besides its controllers: EventRecorder (provider-core) writes Events; /metrics checks a
   * TokenReview, then a SubjectAccessReview, as controller-runtime's secure metrics.
   */
  private static List<PolicyRule> managerRules() {
    return List.of(rule("", List.of("events"), "create"),
        rule("authentication.k8s.io", List.of("tokenreviews"), "create"),
        rule("authorization.k8s.io", List.of("subjectaccessreviews"), "create"));
  }

  private static List<PolicyRule> with(List<PolicyRule> rules, List<PolicyRule> more) {
    List<PolicyRule> all = new java.util.ArrayList<>(rules);
    all.addAll(more);
    return all;
  }

  private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }

  private static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return rule(group, resources, List.of(verbs));
  }
}
