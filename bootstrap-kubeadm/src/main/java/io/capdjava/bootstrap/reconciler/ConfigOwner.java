package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachinePool;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.core.Contract;
import java.util.List;

/**
 * What a KubeadmConfig bootstraps (upstream {@code ConfigOwner}): a Machine, or a MachinePool whose instances all
 * join with the same data. It tells the Kubernetes version, whether the owner is a control plane machine, the data
 * secret CAPI core recorded for it and whether its Nodes exist.
 */
public sealed interface ConfigOwner permits ConfigOwner.OfMachine, ConfigOwner.OfMachinePool {
  String kind();

  String name();

  String clusterName();

  String kubernetesVersion();

  /** Where {@link #kubernetesVersion()} comes from, for messages that name the field to fix. */
  String versionField();

  boolean isControlPlane();

  /** The data secret name CAPI core copied from our status: kept by a move even when our status is not. */
  String dataSecretName();

  /** Whether every Node the owner stands for has joined (upstream {@code HasNodeRefs}). */
  boolean hasNodeRefs();

  default boolean isMachinePool() {
    return this instanceof OfMachinePool;
  }

  /** A Machine: a control plane machine when it has the {@code cluster.x-k8s.io/control-plane} label. */
  record OfMachine(Machine machine) implements ConfigOwner {
    @Override
    public String kind() {
      return "Machine";
    }

    @Override
    public String name() {
      return machine.getMetadata().getName();
    }

    @Override
    public String clusterName() {
      return machine.getSpec() == null ? null : machine.getSpec().clusterName;
    }

    @Override
    public String kubernetesVersion() {
      return machine.getSpec() == null ? null : machine.getSpec().version;
    }

    @Override
    public String versionField() {
      return "spec.version";
    }

    @Override
    public boolean isControlPlane() {
      return machine.getMetadata().getLabels() != null
          && machine.getMetadata().getLabels().containsKey(Contract.Label.CONTROL_PLANE);
    }

    @Override
    public String dataSecretName() {
      return ConfigOwner.dataSecretName(machine.getSpec());
    }

    @Override
    public boolean hasNodeRefs() {
      return machine.getStatus() != null && machine.getStatus().nodeRef != null
          && machine.getStatus().nodeRef.name != null && !machine.getStatus().nodeRef.name.isEmpty();
    }
  }

  /**
   * A MachinePool: always workers, which join with the KubeadmConfig of {@code spec.template} whenever the pool
   * scales up, so its version and data secret live in the template.
   */
  record OfMachinePool(MachinePool pool) implements ConfigOwner {
    @Override
    public String kind() {
      return "MachinePool";
    }

    @Override
    public String name() {
      return pool.getMetadata().getName();
    }

    @Override
    public String clusterName() {
      return pool.getSpec() == null ? null : pool.getSpec().clusterName;
    }

    @Override
    public String kubernetesVersion() {
      MachineSpec spec = template();
      return spec == null ? null : spec.version;
    }

    @Override
    public String versionField() {
      return "spec.template.spec.version";
    }

    @Override
    public boolean isControlPlane() {
      return false;
    }

    @Override
    public String dataSecretName() {
      return ConfigOwner.dataSecretName(template());
    }

    /**
     * As upstream: as many {@code status.nodeRefs} as {@code spec.replicas} (1 when unset). A pool scaling up or
     * down, or whose instances have not registered yet, is still joining.
     */
    @Override
    public boolean hasNodeRefs() {
      int expected = pool.getSpec() == null || pool.getSpec().replicas == null ? 1 : pool.getSpec().replicas;
      return nodeRefs() == expected;
    }

    /** {@code status.nodeRefs}, which the api class does not model: read from the fields it keeps unmodelled. */
    private int nodeRefs() {
      if (pool.getStatus() == null) return 0;
      return pool.getStatus().getUnknownFields().get("nodeRefs") instanceof List<?> refs ? refs.size() : 0;
    }

    private MachineSpec template() {
      return pool.getSpec() == null || pool.getSpec().template == null ? null : pool.getSpec().template.spec;
    }
  }

  private static String dataSecretName(MachineSpec spec) {
    if (spec == null || spec.bootstrap == null) return null;
    String name = spec.bootstrap.dataSecretName;
    return name == null || name.isEmpty() ? null : name;
  }
}
