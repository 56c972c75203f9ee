package io.capdjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Server-side apply through the real API server: what an apply removes, keeps, and when it would change nothing. */
@ExtendWith(ManagementPlaneExtension.class)
class ServerSideApplyTest {
  private static final String CREATOR = "capi-kubeadmcontrolplane";
  private static final String METADATA = "capi-kubeadmcontrolplane-metadata";

  private static ConfigMap configMap(String namespace, String name, Map<String, String> labels,
      Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
        .endMetadata().withData(data).build();
  }

  private static ConfigMap read(KubernetesClient client, String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }

  @Test
  void aLabelTheManagerStopsApplyingGoesWhileAnotherWritersStaysAndAnUnchangedApplyIsNotNeeded(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    ConfigMap first = configMap(ns, "applied", Map.of("a", "1", "b", "2"), Map.of("k", "v"));
    ServerSideApply.apply(client, first, CREATOR);
    client.configMaps().inNamespace(ns).withName("applied").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"someone-else\":\"x\"}}}");

    ConfigMap stored = read(client, ns, "applied");
    assertFalse(ServerSideApply.wouldChange(stored, first, CREATOR), "the same apply again changes nothing");
    assertTrue(ServerSideApply.wouldChange(stored, configMap(ns, "applied", Map.of("a", "1", "b", "2", "c", "3"),
        Map.of("k", "v")), CREATOR), "a new label");
    assertTrue(ServerSideApply.wouldChange(stored, configMap(ns, "applied", Map.of("a", "1", "b", "3"),
        Map.of("k", "v")), CREATOR), "a changed value");
    ConfigMap withoutB = configMap(ns, "applied", Map.of("a", "1"), Map.of("k", "v"));
    assertTrue(ServerSideApply.wouldChange(stored, withoutB, CREATOR), "a label this manager owns, no longer applied");
    assertTrue(ServerSideApply.wouldChange(stored, first, "another-manager"), "the other manager owns none of it yet");

    ServerSideApply.apply(client, withoutB, CREATOR);
    stored = read(client, ns, "applied");
    assertEquals(Map.of("a", "1", "someone-else", "x"), stored.getMetadata().getLabels());
    assertFalse(ServerSideApply.wouldChange(stored, withoutB, CREATOR));
  }

  @Test
  void afterTheCreatorDropsLabelsTheMetadataManagerDecidesThemAloneAndTheDataStaysTheCreators(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    var created = ServerSideApply.apply(client,
        configMap(ns, "split", Map.of("cluster.x-k8s.io/cluster-name", "c", "role", "cp"), Map.of("k", "v")), CREATOR);
    ServerSideApply.dropLabelsAndAnnotations(client, created, CREATOR);
    ConfigMap stored = read(client, ns, "split");
    assertNull(ServerSideApply.ownedFields(stored, CREATOR).path("f:metadata").get("f:labels"));
    assertEquals("v", stored.getData().get("k"), "values stay");

    ServerSideApply.apply(client, labelsOnly(ns, "split", Map.of("cluster.x-k8s.io/cluster-name", "c", "role", "cp")),
        METADATA);
    ServerSideApply.apply(client, labelsOnly(ns, "split", Map.of("cluster.x-k8s.io/cluster-name", "c")), METADATA);
    stored = read(client, ns, "split");
    assertEquals(Map.of("cluster.x-k8s.io/cluster-name", "c"), stored.getMetadata().getLabels(),
        "a label set at creation and then dropped goes");
    assertEquals("v", stored.getData().get("k"));
  }

  @Test
  void labelsAppliedTogetherWithTheRestAreHandedOverOnce(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    ServerSideApply.apply(client,
        configMap(ns, "old", Map.of("cluster.x-k8s.io/cluster-name", "c", "role", "cp"), Map.of("k", "v")), CREATOR);

    assertTrue(ServerSideApply.migrateLabelsAndAnnotations(client, read(client, ns, "old"), CREATOR, METADATA,
        "cluster.x-k8s.io/cluster-name"));
    ConfigMap migrated = read(client, ns, "old");
    assertNull(ServerSideApply.ownedFields(migrated, CREATOR), "the creator's entry is gone");
    assertTrue(ServerSideApply.ownedFields(migrated, METADATA).path("f:metadata").has("f:name"));
    assertFalse(ServerSideApply.migrateLabelsAndAnnotations(client, migrated, CREATOR, METADATA,
        "cluster.x-k8s.io/cluster-name"), "once");

    ServerSideApply.apply(client, labelsOnly(ns, "old", Map.of("cluster.x-k8s.io/cluster-name", "c", "role", "cp")),
        METADATA);
    ServerSideApply.apply(client, labelsOnly(ns, "old", Map.of("cluster.x-k8s.io/cluster-name", "c")), METADATA);
    assertEquals(Map.of("cluster.x-k8s.io/cluster-name", "c"), read(client, ns, "old").getMetadata().getLabels());
  }

  @Test
  void ownedListItemsAreMatchedByTheirKeysAndSetMembersByValue() throws Exception {
    JsonNode owned = Serialization.jsonMapper().readTree("""
        {"f:spec":{"f:taints":{"k:{\\"effect\\":\\"NoSchedule\\",\\"key\\":\\"a\\"}":{".":{},"f:value":{}}},
         "f:finalizers":{"v:\\"x\\"":{}}}}""");
    JsonNode both = Serialization.jsonMapper().readTree("""
        {"spec":{"taints":[{"key":"a","effect":"NoSchedule","value":"1"}],"finalizers":["x"]}}""");
    JsonNode taintGone = Serialization.jsonMapper().readTree("""
        {"spec":{"taints":[{"key":"b","effect":"NoSchedule"}],"finalizers":["x"]}}""");
    JsonNode valueGone = Serialization.jsonMapper().readTree("""
        {"spec":{"taints":[{"key":"a","effect":"NoSchedule"}],"finalizers":["x"]}}""");
    JsonNode memberGone = Serialization.jsonMapper().readTree("""
        {"spec":{"taints":[{"key":"a","effect":"NoSchedule","value":"1"}],"finalizers":["y"]}}""");
    assertTrue(ServerSideApply.stillApplied(owned, both));
    assertFalse(ServerSideApply.stillApplied(owned, taintGone));
    assertFalse(ServerSideApply.stillApplied(owned, valueGone));
    assertFalse(ServerSideApply.stillApplied(owned, memberGone));
  }

  private static ConfigMap labelsOnly(String namespace, String name, Map<String, String> labels) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
        .endMetadata().build();
  }
}
