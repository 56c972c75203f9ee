package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DevMachineStatus;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.kinds.MachineSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/**
 * DevMachine (upstream v1.14's API): {@code spec.backend.docker} runs the docker backend, as a DockerMachine does; a
 * DevMachine asking for {@code spec.backend.inMemory} is told that this provider does not run that backend.
 */
// every event, deletions included, reaches reconcile (see DockerMachineReconciler)
@ControllerConfiguration(name = "devmachine", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DevMachineReconciler extends DockerBackendMachineReconciler<DevMachine, DevMachineStatus> {
  public DevMachineReconciler(KubernetesClient client, ContainerRuntime runtime, SecurityProfile security,
      HostLimits hostLimits, WorkloadClusterClients workloadClusters, EventRecorder events) {
    super(client, runtime, security, hostLimits, workloadClusters, events);
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

  @Override
  protected String otherBackend(DevMachine machine) {
    // settings are null only for the in-memory backend
    return "spec.backend.inMemory: the in-memory backend is not served by capd-java; use spec.backend.docker";
  }
}
