package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachineStatus;
import io.capdjava.core.WorkloadClusterClients;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.kinds.MachineSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;

/** DockerMachine (deprecated in upstream v1.14 for DevMachine): the docker backend, its settings in the spec itself. */
// every event, deletions included, reaches reconcile: upstream's finalizer names have no slash, so JOSDK cannot
// manage them, and it would otherwise skip objects being deleted
@ControllerConfiguration(name = "dockermachine", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DockerMachineReconciler extends DockerBackendMachineReconciler<DockerMachine, DockerMachineStatus> {
  public DockerMachineReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, HostLimits hostLimits, WorkloadClusterClients workloadClusters, EventRecorder events) {
    super(client, informers, runtime, security, hostLimits, workloadClusters, events);
  }

  @Override
  protected Class<DockerMachine> type() {
    return DockerMachine.class;
  }

  @Override
  protected DockerMachineStatus newStatus() {
    return new DockerMachineStatus();
  }

  @Override
  protected MachineSettings settings(DockerMachine machine) {
    return MachineSettings.of(machine);
  }
}
