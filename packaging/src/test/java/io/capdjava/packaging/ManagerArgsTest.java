package io.capdjava.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.controlplane.ControlPlaneProviderMain;
import io.capdjava.core.manager.ManagerFlags;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.docker.DockerProviderMain;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployment in each components YAML starts its provider the way we mean it to: its arguments (clusterctl
 * variables at their defaults) are flags the provider's main accepts, leader election is on, and the probes and
 * metrics port point at the addresses the manager listens on.
 */
class ManagerArgsTest {
  private static final Map<String, Supplier<ManagerFlags>> FLAGS = Map.of(
      "capd-controller", DockerProviderMain::flags,
      "bootstrap-kubeadm", BootstrapProviderMain::flags,
      "controlplane-kubeadm", ControlPlaneProviderMain::flags);

  static List<ProviderPackage> providers() {
    return Providers.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void deploymentArgumentsAreTheProvidersFlags(ProviderPackage p) throws Exception {
    String yaml = Files.readString(ComponentsYamlTest.componentsFile(p))
        .replaceAll("\\$\\{[A-Z0-9_]+:=([^}]*)}", "$1");
    Deployment deployment = Arrays.stream(yaml.split("\n---\n")).filter(doc -> doc.contains("\nkind: \"Deployment\"\n"))
        .map(doc -> Serialization.unmarshal(doc, Deployment.class)).findFirst().orElseThrow();
    Container manager = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    ManagerOptions options = FLAGS.get(p.module()).get().parse(manager.getArgs().toArray(String[]::new)).options();

    assertTrue(options.leaderElection().isPresent(), "the Deployment elects a leader");
    assertTrue(options.namespaces().isEmpty(), "the provider watches every namespace");
    assertEquals(port(manager, "healthz"), options.healthAddress().orElseThrow().getPort());
    assertEquals(port(manager, "metrics"), options.diagnosticsAddress().orElseThrow().getPort());
    assertEquals("/readyz", manager.getReadinessProbe().getHttpGet().getPath());
    assertEquals("healthz", manager.getReadinessProbe().getHttpGet().getPort().getStrVal());
    assertEquals("/healthz", manager.getLivenessProbe().getHttpGet().getPath());
    assertEquals("healthz", manager.getLivenessProbe().getHttpGet().getPort().getStrVal());
    assertTrue(manager.getEnv().stream().anyMatch(e -> e.getName().equals("POD_NAMESPACE")),
        "the Lease is in the pod's namespace, which the manager learns from POD_NAMESPACE");
    if (p.dockerSocket()) {
      // the in-memory backend's API servers listen on the pod's address, where CAPI core and KCP reach them
      assertTrue(manager.getEnv().stream().anyMatch(e -> e.getName().equals("POD_IP") && e.getValueFrom() != null
          && "status.podIP".equals(e.getValueFrom().getFieldRef().getFieldPath())), "POD_IP from status.podIP");
    }
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream().filter(p -> p.getName().equals(name)).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
  }
}
