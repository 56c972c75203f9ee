package io.capdjava.api;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigTemplate;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneTemplate;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineDeployment;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.capdjava.api.core.v1beta2.MachineSet;
import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DevClusterTemplate;
import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DevMachinePool;
import io.capdjava.api.infrastructure.v1beta2.DevMachinePoolTemplate;
import io.capdjava.api.infrastructure.v1beta2.DevMachineTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerClusterTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePool;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePoolTemplate;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/** The kinds our three providers serve: one CRD each. The CAPI core kinds are upstream's and not listed. */
public final class ServedKinds {
  public static final List<Class<? extends HasMetadata>> ALL =
      List.of(
          DevCluster.class,
          DevClusterTemplate.class,
          DevMachine.class,
          DevMachinePool.class,
          DevMachinePoolTemplate.class,
          DevMachineTemplate.class,
          DockerCluster.class,
          DockerClusterTemplate.class,
          DockerMachine.class,
          DockerMachinePool.class,
          DockerMachinePoolTemplate.class,
          DockerMachineTemplate.class,
          KubeadmConfig.class,
          KubeadmConfigTemplate.class,
          KubeadmControlPlane.class,
          KubeadmControlPlaneTemplate.class);

  /** CAPI core's kinds the providers read and patch in part; what they do not model is kept ({@code UnknownFields}). */
  public static final List<Class<? extends HasMetadata>> UPSTREAM_MODELLED =
      List.of(Cluster.class, Machine.class, MachineDeployment.class, MachinePool.class, MachineSet.class);

  private ServedKinds() {}

  /** The kind whose CRD is named {@code <plural>.<group>}, as CAPI computes it from a reference. */
  public static Class<? extends HasMetadata> byCrdName(String crdName) {
    return ALL.stream()
        .filter(k -> CustomResource.getCRDName(k).equals(crdName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no served kind has the CRD " + crdName));
  }
}
