package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DockerMachine;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePool;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePoolInstanceStatus;
import io.capdjava.api.infrastructure.v1beta2.DockerMachinePoolStatus;
import io.capdjava.core.informers.SharedInformers;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.docker.kinds.MachinePoolSettings;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.capdjava.docker.runtime.HostLimits;
import io.capdjava.docker.runtime.SecurityProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DockerMachinePool (deprecated in upstream v1.14 for DevMachinePool): instances are DockerMachines. */
// every event, deletions included, reaches reconcile (see DockerMachineReconciler)
@ControllerConfiguration(name = "dockermachinepool", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DockerMachinePoolReconciler
    extends DockerBackendMachinePoolReconciler<DockerMachinePool, DockerMachine> {
  public DockerMachinePoolReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, HostLimits hostLimits, EventRecorder events) {
    super(client, informers, runtime, security, hostLimits, events);
  }

  @Override
  protected Class<DockerMachinePool> type() {
    return DockerMachinePool.class;
  }

  @Override
  protected Class<DockerMachine> machineType() {
    return DockerMachine.class;
  }

  @Override
  protected MachinePoolSettings settings(DockerMachinePool pool) {
    return MachinePoolSettings.of(pool);
  }

  @Override
  protected String containerLabel() {
    return "docker.cluster.x-k8s.io/machine-pool";
  }

  @Override
  protected String poolProviderId(String clusterName, String poolName) {
    return "docker:////" + clusterName + "-dmp-" + poolName;
  }

  @Override
  protected Map<String, Object> machineSpec(MachinePoolSettings settings) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (settings.customImage() != null) spec.put("customImage", settings.customImage());
    if (settings.preLoadImages() != null) spec.put("preLoadImages", settings.preLoadImages());
    if (settings.extraMounts() != null) spec.put("extraMounts", settings.extraMounts());
    return spec;
  }

  @Override
  protected List<Condition> statusConditions(DockerMachinePool pool) {
    if (pool.getStatus() == null) pool.setStatus(new DockerMachinePoolStatus());
    if (pool.getStatus().conditions == null) pool.getStatus().conditions = new ArrayList<>();
    return pool.getStatus().conditions;
  }

  @Override
  protected void recordStatus(DockerMachinePool pool, Observed observed) {
    DockerMachinePoolStatus status = pool.getStatus();
    status.replicas = observed.replicas();
    status.ready = observed.ready();
    status.observedGeneration = pool.getMetadata().getGeneration();
    status.infrastructureMachineKind = "DockerMachine";
    List<DockerMachinePoolInstanceStatus> instances = new ArrayList<>();
    for (Instance i : observed.instances()) {
      DockerMachinePoolInstanceStatus s = new DockerMachinePoolInstanceStatus();
      s.instanceName = i.name();
      s.providerID = i.providerID();
      s.addresses = i.addresses();
      s.version = i.version();
      s.ready = i.ready();
      s.bootstrapped = i.bootstrapped();
      instances.add(s);
    }
    status.instances = instances.isEmpty() ? null : instances;
  }
}
