package io.capdjava.controlplane.machines;

import io.capdjava.api.core.v1beta2.Bootstrap;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineNodeReference;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.api.core.v1beta2.MachineStatus;
import io.capdjava.controlplane.ControlPlaneConditions;
import io.capdjava.core.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Machines for decision tests, built like upstream's test helpers ({@code machine(name, opts...)}). */
final class TestMachines {
  static final Instant START = Instant.parse("2000-01-01T01:00:00Z");

  private TestMachines() {}

  @SafeVarargs
  static Machine machine(String name, Consumer<Machine>... options) {
    Machine m = new Machine();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default")
        .withCreationTimestamp(START.toString()).build());
    m.setSpec(new MachineSpec());
    m.getSpec().version = "v1.30.0";
    m.getSpec().bootstrap = new Bootstrap();
    m.getSpec().bootstrap.configRef = new ContractVersionedObjectReference("bootstrap.cluster.x-k8s.io", "KubeadmConfig", name);
    m.getSpec().infrastructureRef = new ContractVersionedObjectReference("infrastructure.cluster.x-k8s.io", "DockerMachine", name);
    m.setStatus(new MachineStatus());
    for (Consumer<Machine> o : options) o.accept(m);
    return m;
  }

  static Consumer<Machine> inFailureDomain(String fd) {
    return m -> m.getSpec().failureDomain = fd;
  }

  static Consumer<Machine> created(Instant t) {
    return m -> m.getMetadata().setCreationTimestamp(t.toString());
  }

  static Consumer<Machine> deleting(Instant t) {
    return m -> m.getMetadata().setDeletionTimestamp(t.toString());
  }

  static Consumer<Machine> annotated(String key) {
    return m -> {
      if (m.getMetadata().getAnnotations() == null) m.getMetadata().setAnnotations(new HashMap<>());
      m.getMetadata().getAnnotations().put(key, "");
    };
  }

  static Consumer<Machine> withNode(String node) {
    return m -> {
      m.getStatus().nodeRef = new MachineNodeReference();
      m.getStatus().nodeRef.name = node;
    };
  }

  static Consumer<Machine> condition(String type, String status) {
    return m -> m.getStatus().conditions = Conditions.set(m.getStatus().conditions,
        Conditions.of(type, status, status.equals("True") ? "Ok" : "NotOk", status.equals("True") ? "" : type + " msg", 1L));
  }

  /** Node plus every control plane component and etcd condition True (upstream {@code setMachineHealthy}). */
  static Consumer<Machine> healthy() {
    return m -> {
      if (m.getStatus().nodeRef == null) withNode("node-" + m.getMetadata().getName()).accept(m);
      for (String c : ControlPlaneConditions.componentHealthConditions(true)) condition(c, "True").accept(m);
    };
  }

  static Consumer<Machine> healthyControlPlaneComponents() {
    return m -> {
      for (String c : List.of(ControlPlaneConditions.MACHINE_API_SERVER_POD_HEALTHY,
          ControlPlaneConditions.MACHINE_CONTROLLER_MANAGER_POD_HEALTHY,
          ControlPlaneConditions.MACHINE_SCHEDULER_POD_HEALTHY, ControlPlaneConditions.MACHINE_ETCD_POD_HEALTHY)) {
        condition(c, "True").accept(m);
      }
    };
  }

  static FailureDomain fd(String name) {
    FailureDomain fd = new FailureDomain();
    fd.name = name;
    fd.controlPlane = true;
    return fd;
  }

  static ControlPlaneMachines controlPlane(List<Machine> machines, Set<String> outdated, List<FailureDomain> fds) {
    return new ControlPlaneMachines(machines, outdated, fds, true);
  }
}
