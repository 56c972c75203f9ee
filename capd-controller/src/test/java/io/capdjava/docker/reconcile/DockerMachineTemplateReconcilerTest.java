package io.capdjava.docker.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A DockerMachineTemplate reports the engine host's CPUs and memory as its capacity (autoscaling from zero). */
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
        DockerMachineTemplate t = plane.client().resources(DockerMachineTemplate.class).inNamespace(plane.namespace())
            .withName("workers").waitUntilCondition(x -> x.getStatus() != null && x.getStatus().capacity != null,
                60, TimeUnit.SECONDS);
        EngineInfo info = runtime.info();
        assertEquals(info.cpus(), Quantity.getAmountInBytes(t.getStatus().capacity.get("cpu")).intValue());
        assertEquals(info.memoryBytes(), Quantity.getAmountInBytes(t.getStatus().capacity.get("memory")).longValue());
      } finally {
        provider.close();
      }
    }
  }
}
