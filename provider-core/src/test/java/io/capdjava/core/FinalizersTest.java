package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterSpec;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Upstream's finalizer names (no slash) on our own kind, through the real API server. */
@ExtendWith(ManagementPlaneExtension.class)
class FinalizersTest {
  @Test
  void finalizerIsAddedOnceKeepsOtherFieldsAndIsRemoved(ManagementPlane plane) {
    DockerCluster cluster = new DockerCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("f").withNamespace(plane.namespace())
        .addToFinalizers("someone.else/keep").build());
    cluster.setSpec(new DockerClusterSpec());
    cluster.getSpec().controlPlaneEndpoint = new io.capdjava.api.core.v1beta2.APIEndpoint("10.0.0.1", 6443);
    cluster = plane.client().resource(cluster).create();
    Resource<DockerCluster> stored = plane.client().resources(DockerCluster.class).inNamespace(plane.namespace())
        .withName("f");

    DockerCluster with = Finalizers.ensure(plane.client(), cluster, Contract.Finalizer.DOCKER_CLUSTER);
    DockerCluster again = Finalizers.ensure(plane.client(), with, Contract.Finalizer.DOCKER_CLUSTER);

    assertEquals(2, stored.get().getMetadata().getFinalizers().size());
    assertTrue(Finalizers.has(stored.get(), Contract.Finalizer.DOCKER_CLUSTER));
    assertEquals("10.0.0.1", stored.get().getSpec().controlPlaneEndpoint.host, "the rest of the object is untouched");
    assertEquals(with.getMetadata().getResourceVersion(), again.getMetadata().getResourceVersion(), "no second write");

    Finalizers.remove(plane.client(), stored.get(), Contract.Finalizer.DOCKER_CLUSTER);
    assertFalse(Finalizers.has(stored.get(), Contract.Finalizer.DOCKER_CLUSTER));
    assertTrue(Finalizers.has(stored.get(), "someone.else/keep"), "other finalizers are left alone");
    Finalizers.remove(plane.client(), stored.get(), "someone.else/keep");
  }
}
