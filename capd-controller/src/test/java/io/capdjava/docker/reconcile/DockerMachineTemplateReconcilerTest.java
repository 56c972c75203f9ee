package io.capdjava.docker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.docker.DockerProviderMain;
import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.EngineInfo;
import io.capdjava.docker.runtime.SecurityProfile;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A DockerMachineTemplate and a DevMachineTemplate report the engine host's CPUs and memory as their capacity
 * (autoscaling from zero).
 */
@ExtendWith(ManagementPlaneExtension.class)
class DockerMachineTemplateReconcilerTest {
  @Test
  void capacityIsTheEngineHostsCpusAndMemory(ManagementPlane plane) throws Exception {
    try (DockerEngineRuntime runtime = DockerEngineRuntime.connect()) {
      ProviderManager provider = DockerProviderMain.start(plane.client(), runtime, SecurityProfile.privileged(),
          ManagerOptions.embedded(plane.namespace(), 2));
      try {
        plane.client().resource(Serialization.unmarshal("""
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
            kind: DockerMachineTemplate
            metadata: {name: workers, namespace: %s}
            spec:
              template:
                spec: {customImage: "kindest/node:v1.34.4"}
            """.formatted(plane.namespace()), GenericKubernetesResource.class)).create();
        plane.client().resource(Serialization.unmarshal("""
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
            kind: DevMachineTemplate
            metadata: {name: workers, namespace: %s}
            spec:
              template:
                spec: {backend: {docker: {customImage: "kindest/node:v1.34.4"}}}
            """.formatted(plane.namespace()), GenericKubernetesResource.class)).create();
        EngineInfo info = runtime.info();
        for (String kind : List.of("DockerMachineTemplate", "DevMachineTemplate")) {
          GenericKubernetesResource t = plane.client()
              .genericKubernetesResources("infrastructure.cluster.x-k8s.io/v1beta2", kind)
              .inNamespace(plane.namespace()).withName("workers")
              .waitUntilCondition(x -> x.get("status", "capacity") != null, 60, TimeUnit.SECONDS);
          assertEquals(info.cpus(), Quantity.getAmountInBytes(new Quantity(t.get("status", "capacity", "cpu")))
              .intValue(), kind);
          assertEquals(info.memoryBytes(), Quantity.getAmountInBytes(
              new Quantity(t.get("status", "capacity", "memory"))).longValue(), kind);
        }
      } finally {
        provider.close();
      }
    }
  }
}
