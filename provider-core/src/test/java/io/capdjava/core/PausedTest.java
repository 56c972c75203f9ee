package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.ClusterSpec;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PausedTest {
  private static Cluster cluster(Boolean paused) {
    Cluster c = new Cluster();
    c.setSpec(new ClusterSpec());
    c.getSpec().paused = paused;
    return c;
  }

  private static DockerMachine machine(Map<String, String> annotations) {
    DockerMachine m = new DockerMachine();
    m.setMetadata(new ObjectMetaBuilder().withName("m").withGeneration(4L).withAnnotations(annotations).build());
    return m;
  }

  @Test
  void notPausedWithoutClusterFlagOrAnnotation() {
    Condition c = Paused.condition(cluster(null), machine(Map.of()));
    assertFalse(Paused.isPaused(cluster(false), machine(Map.of())));
    assertEquals("False", c.getStatus());
    assertEquals("NotPaused", c.getReason());
    assertEquals(4L, c.getObservedGeneration());
  }

  @Test
  void clusterSpecPausedPausesAndSaysSo() {
    Condition c = Paused.condition(cluster(true), machine(Map.of()));
    assertTrue(Paused.isPaused(cluster(true), machine(Map.of())));
    assertEquals("True", c.getStatus());
    assertEquals("Paused", c.getReason());
    assertEquals("Cluster spec.paused is set to true", c.getMessage());
  }

  @Test
  void annotationPausesEvenWithoutACluster() {
    DockerMachine m = machine(Map.of("cluster.x-k8s.io/paused", ""));
    assertTrue(Paused.isPaused(null, m));
    assertEquals("DockerMachine has the cluster.x-k8s.io/paused annotation", Paused.condition(null, m).getMessage());
    assertEquals(
        "Cluster spec.paused is set to true, DockerMachine has the cluster.x-k8s.io/paused annotation",
        Paused.condition(cluster(true), m).getMessage());
  }
}
