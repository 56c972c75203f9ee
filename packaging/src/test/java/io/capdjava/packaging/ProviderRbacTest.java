package io.capdjava.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Test;

/**
 * Writes the providers' code makes on objects they do not own are in their ClusterRole. Tests that run the providers
 * in the test JVM use an admin client and would not notice a missing verb; upstream's e2e suite runs them as pods.
 */
class ProviderRbacTest {

  @Test
  void infrastructureProviderMayPatchMachines() {
    // InMemoryMachineBackend marks a bootstrapped Machine with upstream's annotation (a merge patch on the Machine);
    // without the verb the DevMachine never becomes ready
    assertTrue(allows(Providers.infrastructure(), "cluster.x-k8s.io", "machines", "patch"),
        "the infrastructure provider's ClusterRole allows patching Machines");
  }

  private static boolean allows(ProviderPackage p, String group, String resource, String verb) {
    for (PolicyRule r : p.rules()) {
      if (r.getApiGroups().contains(group) && r.getResources().contains(resource) && r.getVerbs().contains(verb)) {
        return true;
      }
    }
    return false;
  }
}
