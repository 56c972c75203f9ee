package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DevMachineStatus;
import io.capdjava.core.Contract;
import io.capdjava.core.Owners;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.inmemory.InMemoryMachineBackend;
import io.capdjava.docker.inmemory.workload.SimulatedClusters;
import io.capdjava.docker.kinds.MachineSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Duration;
import java.util.Optional;

/**
 * DevMachine (upstream v1.14's API): {@code spec.backend.docker} runs the docker backend, as a DockerMachine does;
 * {@code spec.backend.inMemory} the in-memory backend ({@link InMemoryMachineBackend}: a simulated machine in its
 * cluster's simulated workload cluster).
 */
// every event, deletions included, reaches reconcile (see DockerMachineReconciler)
@ControllerConfiguration(name = "devmachine", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DevMachineReconciler extends DockerBackendMachineReconciler<DevMachine, DevMachineStatus> {
  private final InMemoryMachineBackend inMemory;

  public DevMachineReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, HostLimits hostLimits, WorkloadClusterClients workloadClusters, EventRecorder events,
      SimulatedClusters simulatedClusters) {
    super(client, informers, runtime, security, hostLimits, workloadClusters, events);
    this.inMemory = new InMemoryMachineBackend(client, simulatedClusters);
  }

  @Override
  protected Class<DevMachine> type() {
    return DevMachine.class;
  }

  @Override
  protected DevMachineStatus newStatus() {
    return new DevMachineStatus();
  }

  @Override
  protected MachineSettings settings(DevMachine machine) {
    return MachineSettings.of(machine);
  }

  static boolean inMemory(DevMachine dm) {
    return dm.getSpec() != null && dm.getSpec().backend != null && dm.getSpec().backend.inMemory != null;
  }

  private static boolean controlPlane(DevMachine dm, MachineContext<DevMachine> m) {
    var labels = m != null && m.machine() != null ? m.machine().getMetadata().getLabels() : dm.getMetadata().getLabels();
    return labels != null && labels.containsKey(Contract.Label.CONTROL_PLANE);
  }

  @Override
  protected String[] readySummarises(DevMachine dm) {
    return inMemory(dm) ? InMemoryMachineBackend.readySummarises(controlPlane(dm, null)) : readySummarises();
  }

  @Override
  protected void validate(MachineContext<DevMachine> m) {
    if (inMemory(m.dm())) {
      InMemoryMachineBackend.validate(m.dm());
    } else {
      super.validate(m);
    }
  }

  @Override
  protected Optional<Duration> reconcileNormal(MachineContext<DevMachine> m) {
    if (!inMemory(m.dm())) return super.reconcileNormal(m);
    return inMemory.reconcileNormal(m.dm(), m.machine(), m.cluster(), controlPlane(m.dm(), m));
  }

  @Override
  protected Optional<Duration> reconcileDelete(MachineContext<DevMachine> m) {
    if (!inMemory(m.dm())) return super.reconcileDelete(m);
    String clusterName = m.cluster() != null ? m.cluster().getMetadata().getName()
        : Optional.ofNullable(m.machine()).flatMap(Owners::clusterName).or(() -> Owners.clusterName(m.dm()))
            .orElse(null);
    return inMemory.reconcileDelete(m.dm(), clusterName);
  }

  @Override
  protected void forget(DevMachine dm) {
    if (inMemory(dm)) inMemory.forget(dm);
    super.forget(dm);
  }
}
