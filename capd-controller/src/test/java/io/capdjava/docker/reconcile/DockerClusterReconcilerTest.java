package io.capdjava.docker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.core.Conditions;
import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Cluster with a DockerCluster, with upstream CAPI core and our provider running, on the real engine. */
@ExtendWith(ManagementPlaneExtension.class)
class DockerClusterReconcilerTest {
  private final String cluster = "dc-" + UUID.randomUUID().toString().substring(0, 6);
  private DockerEngineRuntime runtime;
  private ProviderManager provider;

  @BeforeEach
  void startProvider(ManagementPlane plane) {
    runtime = DockerEngineRuntime.connect();
    provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfiles.choose("auto", runtime),
        ManagerOptions.embedded(plane.namespace(), 4));
  }

  @AfterEach
  void stopProvider() throws Exception {
    provider.close();
    for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster))) runtime.remove(c.name());
    runtime.close();
  }

  @Test
  void loadBalancerIsTheEndpointAndGoesWithTheCluster(ManagementPlane plane) {
    String ns = plane.namespace();
    for (String yaml : List.of("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerCluster, name: %1$s}
        """, """
        apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
        kind: DockerCluster
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          failureDomains:
          - {name: fd1, controlPlane: true}
          - {name: fd2, controlPlane: false}
        """)) {
      plane.client().resource(Serialization.unmarshal(yaml.formatted(cluster, ns), GenericKubernetesResource.class))
          .create();
    }

    DockerCluster ready = plane.client().resources(DockerCluster.class).inNamespace(ns).withName(cluster)
        .waitUntilCondition(d -> d != null && d.getStatus() != null
            && Conditions.isTrue(d.getStatus().conditions, "Ready"), 60, TimeUnit.SECONDS);
    ContainerInfo lb = runtime.find(cluster + "-lb").orElseThrow();
    assertEquals(Map.of(Labels.CLUSTER, cluster, Labels.ROLE, Labels.ROLE_LOAD_BALANCER),
        Map.of(Labels.CLUSTER, lb.labels().get(Labels.CLUSTER), Labels.ROLE, lb.labels().get(Labels.ROLE)));
    assertEquals(lb.ipv4On(Labels.NETWORK), ready.getSpec().controlPlaneEndpoint.host);
    assertEquals(6443, ready.getSpec().controlPlaneEndpoint.port);
    assertTrue(ready.getStatus().initialization.provisioned);
    assertEquals(List.of("fd1", "fd2"), ready.getStatus().failureDomains.stream().map(f -> f.name).toList());
    assertTrue(lb.publishedPorts().get("6443/tcp") > 0 && lb.publishedPorts().get("8404/tcp") > 0);

    // upstream CAPI core takes it from here: the Cluster's infrastructure is provisioned, with our endpoint
    Cluster provisioned = plane.client().resources(Cluster.class).inNamespace(ns).withName(cluster)
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().initialization != null
            && Boolean.TRUE.equals(c.getStatus().initialization.infrastructureProvisioned), 60, TimeUnit.SECONDS);
    assertEquals(lb.ipv4On(Labels.NETWORK), provisioned.getSpec().controlPlaneEndpoint.host);

    plane.client().resources(Cluster.class).inNamespace(ns).withName(cluster).delete();
    plane.client().resources(Cluster.class).inNamespace(ns).withName(cluster)
        .waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
    assertEquals(List.of(), runtime.list(Map.of(Labels.CLUSTER, cluster)), "no container of the cluster is left");
  }
}
