package io.capdjava.packaging;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;

/**
 * One provider as clusterctl installs it.
 *
 * @param type          clusterctl's provider type (InfrastructureProvider, BootstrapProvider, ControlPlaneProvider)
 * @param name          the name users pass to {@code clusterctl init} (ours, so it can sit beside upstream's)
 * @param label         {@code <type>-<name>}: the value of {@code cluster.x-k8s.io/provider} and the repository folder
 * @param componentsFile the components file name clusterctl looks for
 * @param namespace     the one Namespace of the components YAML
 * @param namePrefix    prefix of every object name, so cluster-scoped names do not collide with upstream's
 * @param crdGroup      the API group whose CRDs (from the crds module) this provider serves
 * @param module        the Maven module whose runnable jar the image runs; also the image name
 * @param args          the manager's arguments, with clusterctl variables
 * @param rules         the ClusterRole's rules: exactly what the provider's code reads and writes
 * @param dockerSocket  mount the host's Docker socket (the infrastructure provider creates containers through it)
 */
record ProviderPackage(String type, String name, String label, String componentsFile, String namespace,
    String namePrefix, String crdGroup, String module, List<String> args, List<PolicyRule> rules,
    boolean dockerSocket) {

  /**
   * The image {@code hack/images.sh operators} builds and tags {@code capd-java/<module>:<version>}, written the
   * canonical way clusterctl requires (it rejects references without a registry).
   */
  String image(String version) {
    return "docker.io/capd-java/" + module + ":" + version;
  }
}
