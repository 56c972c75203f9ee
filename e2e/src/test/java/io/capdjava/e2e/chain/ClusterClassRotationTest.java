package io.capdjava.e2e.chain;

import static io.capdjava.e2e.chain.QuickStartTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineDeployment;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
import io.capdjava.core.Conditions;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ClusterClass change that rotates a template, as upstream's clusterclass-changes spec does: the quick-start class's
 * worker image patch is changed, so CAPI core's topology controller finds (by a dry-run server-side apply against the
 * existing DockerMachineTemplate) that the worker template must change, creates a new one and rolls the
 * MachineDeployment over to it. Our template immutability must let the dry-run through and still refuse real edits.
 */
@ExtendWith(ManagementPlaneExtension.class)
class ClusterClassRotationTest {
  @Test
  void changingTheClassesWorkerImageRotatesTheTemplateAndRollsTheWorkers(ManagementPlane plane) throws Exception {
    String rotatedRepository = "capd-java-e2e/rotated-node";
    String rotatedImage = rotatedRepository + ":" + E2eCluster.VERSION;
    QuickStartTest.docker("tag", "kindest/node:" + E2eCluster.VERSION, rotatedImage);
    try {
      E2eCluster.fromClusterClass(plane, "clusterclass-rotation", "ccr", 1, 1).exercise(cluster -> {
        Machine firstWorker = waitForOneRunningWorker(cluster, "kindest/node:" + E2eCluster.VERSION);
        String firstTemplate = workerTemplate(cluster).getMetadata().getName();
        cluster.log("worker " + firstWorker.getMetadata().getName() + " Running from template " + firstTemplate);

        // the ClusterClass change: the default-worker machines run another image from now on
        // CAPI core writes the class's status meanwhile: an edit that lost the race is tried again, as kubectl edit is
        for (int attempt = 1; ; attempt++) {
          try {
            cluster.client.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "ClusterClass")
                .inNamespace(cluster.namespace).withName("quick-start-docker")
                .edit(cc -> withWorkerImageRepository(cc, rotatedRepository));
            break;
          } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409 || attempt == 5) throw e;
          }
        }
        cluster.log("ClusterClass worker image patch changed");

        DockerMachineTemplate rotated = waitFor("a new worker DockerMachineTemplate with the new image",
            Duration.ofMinutes(2), () -> {
              DockerMachineTemplate t = workerTemplate(cluster);
              return !t.getMetadata().getName().equals(firstTemplate)
                  && rotatedImage.equals(t.getSpec().template.spec.customImage) ? t : null;
            });
        cluster.log("MachineDeployment now references " + rotated.getMetadata().getName());

        Machine secondWorker = waitForOneRunningWorker(cluster, rotatedImage);
        assertNotEquals(firstWorker.getMetadata().getName(), secondWorker.getMetadata().getName(), "the worker rolled");
        waitFor("the topology reconciled", Duration.ofMinutes(1), () -> {
          Cluster c = cluster.client.resources(Cluster.class).inNamespace(cluster.namespace).withName(cluster.name).get();
          return Conditions.isTrue(c.getStatus().conditions, "TopologyReconciled") ? Boolean.TRUE : null;
        });
        waitFor("the old worker template to be removed", Duration.ofMinutes(2), () ->
            cluster.client.resources(DockerMachineTemplate.class).inNamespace(cluster.namespace).withName(firstTemplate)
                .get() == null ? Boolean.TRUE : null);
        cluster.log("worker rolled to " + secondWorker.getMetadata().getName());

      });
    } finally {
      QuickStartTest.docker("rmi", rotatedImage);
    }
  }

  /** The ClusterClass with the default-worker customImage patch pointing at {@code repository}. */
  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource withWorkerImageRepository(GenericKubernetesResource cc, String repository) {
    var spec = (Map<String, Object>) cc.getAdditionalProperties().get("spec");
    for (var patch : (List<Map<String, Object>>) spec.get("patches")) {
      if (!"customImage".equals(patch.get("name"))) continue;
      for (var definition : (List<Map<String, Object>>) patch.get("definitions")) {
        var selector = (Map<String, Object>) definition.get("selector");
        var match = (Map<String, Object>) selector.get("matchResources");
        if (match.get("machineDeploymentClass") == null) continue;
        for (var jsonPatch : (List<Map<String, Object>>) definition.get("jsonPatches")) {
          var valueFrom = (Map<String, Object>) jsonPatch.get("valueFrom");
          String template = (String) valueFrom.get("template");
          assertTrue(template.contains("kindest/node:"), template);
          valueFrom.put("template", template.replace("kindest/node:", repository + ":"));
        }
      }
    }
    return cc;
  }

  private static MachineDeployment machineDeployment(E2eCluster cluster) {
    List<MachineDeployment> mds = cluster.client.resources(MachineDeployment.class).inNamespace(cluster.namespace)
        .withLabel("cluster.x-k8s.io/cluster-name", cluster.name)
        .withLabel("topology.cluster.x-k8s.io/deployment-name", "md-0").list().getItems();
    assertEquals(1, mds.size(), "the topology's md-0");
    return mds.get(0);
  }

  private static DockerMachineTemplate workerTemplate(E2eCluster cluster) {
    String name = machineDeployment(cluster).getSpec().template.spec.infrastructureRef.name;
    return cluster.client.resources(DockerMachineTemplate.class).inNamespace(cluster.namespace).withName(name).get();
  }

  /** Exactly one worker Machine, Running, its container running {@code image}. */
  private static Machine waitForOneRunningWorker(E2eCluster cluster, String image) throws InterruptedException {
    return waitFor("one Running worker from " + image, Duration.ofMinutes(6), () -> {
      List<Machine> workers = cluster.machines(false);
      if (workers.size() != 1 || !E2eCluster.running(workers.get(0))) return null;
      String node = workers.get(0).getStatus().nodeRef == null ? null : workers.get(0).getStatus().nodeRef.name;
      if (node == null) return null;
      return cluster.providers.runtime.find(node).filter(c -> image.equals(c.image())).map(c -> workers.get(0))
          .orElse(null);
    });
  }
}
