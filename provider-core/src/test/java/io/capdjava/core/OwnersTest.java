package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Owner lookups against real CAPI objects, stored through upstream's CRDs and webhooks. */
@ExtendWith(ManagementPlaneExtension.class)
class OwnersTest {
  @Test
  void machineAndClusterAreFoundFromOwnerReferencesAndLabels(ManagementPlane plane) {
    String ns = plane.namespace();
    var client = plane.client();
    client.resource(parse("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: c1, namespace: %s}
        spec:
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerCluster, name: c1}
        """.formatted(ns))).create();
    client.resource(parse("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Machine
        metadata: {name: m1, namespace: %s}
        spec:
          clusterName: c1
          bootstrap: {dataSecretName: data}
          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachine, name: m1}
        """.formatted(ns))).create();
    Machine machine = client.resources(Machine.class).inNamespace(ns).withName("m1").get();
    Cluster cluster = client.resources(Cluster.class).inNamespace(ns).withName("c1").get();

    ConfigMap ownedByMachine = new ConfigMapBuilder().withNewMetadata().withName("infra").withNamespace(ns)
        .addToLabels(Contract.Label.CLUSTER_NAME, "c1")
        .addToOwnerReferences(ClusterSecrets.controllerReference(machine))
        .addToOwnerReferences(ClusterSecrets.controllerReference(cluster).toBuilder().withController(false).build())
        .endMetadata().build();

    assertEquals("m1", Owners.machine(client, ownedByMachine).orElseThrow().getMetadata().getName());
    assertEquals("c1", Owners.clusterFromOwner(client, ownedByMachine).orElseThrow().getMetadata().getName());
    assertEquals("c1", Owners.clusterFromLabel(client, ownedByMachine).orElseThrow().getMetadata().getName());
    assertEquals("c1", Owners.clusterOf(client, machine).orElseThrow().getMetadata().getName());

    ConfigMap orphan = new ConfigMapBuilder().withNewMetadata().withName("orphan").withNamespace(ns).endMetadata().build();
    assertTrue(Owners.machine(client, orphan).isEmpty(), "no owner yet: wait for CAPI core to set it");
    assertTrue(Owners.clusterFromLabel(client, orphan).isEmpty());
  }

  private static GenericKubernetesResource parse(String yaml) {
    return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
  }
}
