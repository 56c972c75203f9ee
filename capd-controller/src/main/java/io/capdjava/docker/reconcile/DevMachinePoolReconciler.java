package io.capdjava.docker.reconcile;

import io.capdjava.api.infrastructure.v1beta2.DevMachine;
import io.capdjava.api.infrastructure.v1beta2.DevMachinePool;
import io.capdjava.api.infrastructure.v1beta2.DevMachinePoolInstanceStatus;
import io.capdjava.api.infrastructure.v1beta2.DevMachinePoolStatus;
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

/** DevMachinePool (upstream v1.14's API), docker backend: instances are DevMachines. */
// every event, deletions included, reaches reconcile (see DockerMachineReconciler)
@ControllerConfiguration(name = "devmachinepool", generationAwareEventProcessing = false, triggerReconcilerOnAllEvents = true)
public final class DevMachinePoolReconciler extends DockerBackendMachinePoolReconciler<DevMachinePool, DevMachine> {
  public DevMachinePoolReconciler(KubernetesClient client, SharedInformers informers, ContainerRuntime runtime,
      SecurityProfile security, HostLimits hostLimits, EventRecorder events) {
    super(client, informers, runtime, security, hostLimits, events);
  }

  @Override
  protected Class<DevMachinePool> type() {
    return DevMachinePool.class;
  }

  @Override
  protected Class<DevMachine> machineType() {
    return DevMachine.class;
  }

  @Override
  protected MachinePoolSettings settings(DevMachinePool pool) {
    return MachinePoolSettings.of(pool);
  }

  @Override
  protected String containerLabel() {
    return "dev.cluster.x-k8s.io/machine-pool";
  }

  @Override
  protected String poolProviderId(String clusterName, String poolName) {
    return "dev:////" + clusterName + "-dmp-" + poolName;
  }

  @Override
  protected Map<String, Object> machineSpec(MachinePoolSettings settings) {
    Map<String, Object> docker = new LinkedHashMap<>();
    if (settings.customImage() != null) docker.put("customImage", settings.customImage());
    if (settings.preLoadImages() != null) docker.put("preLoadImages", settings.preLoadImages());
    if (settings.extraMounts() != null) docker.put("extraMounts", settings.extraMounts());
    return Map.of("backend", Map.of("docker", docker));
  }

  @Override
  protected List<Condition> statusConditions(DevMachinePool pool) {
    if (pool.getStatus() == null) pool.setStatus(new DevMachinePoolStatus());
    if (pool.getStatus().conditions == null) pool.getStatus().conditions = new ArrayList<>();
    return pool.getStatus().conditions;
  }

  @Override
  protected void recordStatus(DevMachinePool pool, Observed observed) {
    DevMachinePoolStatus status = pool.getStatus();
    status.replicas = observed.replicas();
    status.ready = observed.ready();
    status.observedGeneration = pool.getMetadata().getGeneration();
    status.infrastructureMachineKind = "DevMachine";
    List<DevMachinePoolInstanceStatus> instances = new ArrayList<>();
    for (Instance i : observed.instances()) {
      DevMachinePoolInstanceStatus s = new DevMachinePoolInstanceStatus();
      s.instanceName = i.name();
      s.providerID = i.providerID();
      s.addresses = i.addresses();
      s.version = i.version();
      s.ready = i.ready();
      instances.add(s);
    }
    status.instances = instances.isEmpty() ? null : instances;
  }
}
