package io.capdjava.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.MachineDeployment;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hand-written upstream v1beta2 cluster reads into our classes and writes back without losing or adding a field. */
class UpstreamManifestRoundTripTest {
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "Cluster", Cluster.class,
          "DockerCluster", DockerCluster.class,
          "DockerMachineTemplate", DockerMachineTemplate.class,
          "KubeadmControlPlane", KubeadmControlPlane.class,
          "KubeadmConfigTemplate", KubeadmConfigTemplate.class,
          "MachineDeployment", MachineDeployment.class);

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void everyDocumentRoundTripsUnchanged() throws Exception {
    List<JsonNode> documents = documents("/quickstart-cluster.yaml");
    assertEquals(7, documents.size());
    for (JsonNode original : documents) {
      String kind = original.get("kind").asText();
      HasMetadata typed = serialization.convertValue(original, KINDS.get(kind));
      assertInstanceOf(KINDS.get(kind), typed);
      JsonNode written = serialization.convertValue(typed, JsonNode.class);
      assertEquals(original, written, kind + " " + original.at("/metadata/name").asText() + " changed in a round trip");
    }
  }

  @Test
  void unknownFieldsOfCoreKindsSurviveReadModifyWrite() throws Exception {
    JsonNode original = documents("/quickstart-cluster.yaml").get(0);
    ((com.fasterxml.jackson.databind.node.ObjectNode) original.get("spec"))
        .putObject("topology").put("classRef", "a-field-we-do-not-model");
    Cluster cluster = serialization.convertValue(original, Cluster.class);
    cluster.getSpec().paused = true;
    JsonNode written = serialization.convertValue(cluster, JsonNode.class);
    assertEquals(original.at("/spec/topology"), written.at("/spec/topology"));
    assertEquals(true, written.at("/spec/paused").asBoolean());
  }

  private static List<JsonNode> documents(String resource) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> docs = new ArrayList<>();
    try (InputStream in = UpstreamManifestRoundTripTest.class.getResourceAsStream(resource)) {
      yaml.readerFor(JsonNode.class).readValues(in).forEachRemaining(d -> {
        if (d != null && !((JsonNode) d).isEmpty()) docs.add((JsonNode) d);
      });
    }
    return docs;
  }
}
