package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSecretsTest {
  @Test
  void secretCarriesTheCapiTypeClusterLabelAndControllerOwner() {
    ConfigMap owner = new ConfigMapBuilder().withNewMetadata().withName("owner").withUid("uid-1").endMetadata().build();
    byte[] value = "kubeconfig-bytes".getBytes(StandardCharsets.UTF_8);

    Secret secret = ClusterSecrets.build("ns", Contract.Secret.kubeconfig("c1"), "c1", owner, Map.of("value", value));

    assertEquals("c1-kubeconfig", secret.getMetadata().getName());
    assertEquals("cluster.x-k8s.io/secret", secret.getType());
    assertEquals("c1", secret.getMetadata().getLabels().get("cluster.x-k8s.io/cluster-name"));
    OwnerReference ref = secret.getMetadata().getOwnerReferences().get(0);
    assertEquals("uid-1", ref.getUid());
    assertEquals("ConfigMap", ref.getKind());
    assertTrue(ref.getController());
    assertArrayEquals(value, ClusterSecrets.data(secret, "value").orElseThrow());
    assertTrue(ClusterSecrets.data(secret, "missing").isEmpty());
  }

  @Test
  void secretNamesFollowUpstream() {
    assertEquals("c1-kubeconfig", Contract.Secret.kubeconfig("c1"));
    assertEquals("c1-ca", Contract.Secret.clusterCa("c1"));
    assertEquals("c1-etcd", Contract.Secret.etcdCa("c1"));
    assertEquals("c1-proxy", Contract.Secret.frontProxyCa("c1"));
    assertEquals("c1-sa", Contract.Secret.serviceAccount("c1"));
  }
}
