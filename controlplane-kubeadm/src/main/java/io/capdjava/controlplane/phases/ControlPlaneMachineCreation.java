package io.capdjava.controlplane.phases;

import io.capdjava.core.CrashPoints;
import io.capdjava.core.reconcile.EventRecorder;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.desired.ContractApiVersions;
import io.capdjava.controlplane.desired.DesiredKubeadmConfig;
import io.capdjava.controlplane.desired.DesiredMachine;
import io.capdjava.controlplane.desired.InfrastructureMachineClone;
import io.capdjava.controlplane.desired.MachineNames;
import io.capdjava.core.Contract;
import io.capdjava.core.ServerSideApply;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one control plane Machine with its InfraMachine and KubeadmConfig, in upstream's order
 * ({@code cloneConfigsAndGenerateMachine}): the InfraMachine cloned from the template, the KubeadmConfig (init for the
 * first Machine, join for the others), then the Machine referencing both. If a later step fails, what was created is
 * deleted again, so nothing half-made is left. A Machine replacing a remediated one ends the remediation: the KCP's
 * {@code remediation-in-progress} annotation, copied to the Machine as {@code remediation-for}, is removed.
 */
public final class ControlPlaneMachineCreation {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMachineCreation.class);

  private final KubernetesClient client;
  private final EventRecorder events;

  public ControlPlaneMachineCreation(KubernetesClient client, EventRecorder events) {
    this.events = events;
    this.client = client;
  }

  /** Creating a Machine failed; the message says which object and why. */
  public static final class MachineCreationException extends RuntimeException {
    MachineCreationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public Machine create(ControlPlaneScope scope, boolean join, String failureDomain) {
    KubeadmControlPlane kcp = scope.kcp();
    String cluster = scope.clusterName();
    String name = MachineNames.generate(
        kcp.getSpec().machineNaming == null ? null : kcp.getSpec().machineNaming.template,
        cluster, kcp.getMetadata().getName());

    ContractVersionedObjectReference templateRef = kcp.getSpec().machineTemplate.spec.infrastructureRef;
    List<HasMetadata> created = new ArrayList<>();
    Machine stored;
    try {
      String apiVersion = ContractApiVersions.apiVersion(client, templateRef.apiGroup, templateRef.kind);
      GenericKubernetesResource template = client.genericKubernetesResources(apiVersion, templateRef.kind)
          .inNamespace(scope.namespace()).withName(templateRef.name).get();
      if (template == null) {
        throw new InfrastructureTemplateOwnership.TemplateNotFoundException(
            "spec.machineTemplate.spec.infrastructureRef: " + templateRef.kind + " " + scope.namespace() + "/"
                + templateRef.name + " not found");
      }
      GenericKubernetesResource infraMachine = createOwningAllButMetadata(
          InfrastructureMachineClone.build(template, kcp, cluster, name));
      created.add(infraMachine);
      CrashPoints.reach("KubeadmControlPlane/infra-machine-created");

      GenericKubernetesResource kubeadmConfig =
          createOwningAllButMetadata(DesiredKubeadmConfig.build(kcp, cluster, join, name));
      created.add(kubeadmConfig);
      CrashPoints.reach("KubeadmControlPlane/kubeadm-config-created");

      Machine machine = DesiredMachine.build(kcp, cluster, name, failureDomain,
          new ContractVersionedObjectReference(templateRef.apiGroup, infraMachine.getKind(), name),
          new ContractVersionedObjectReference(Contract.BOOTSTRAP_GROUP, kubeadmConfig.getKind(), name));
      // applied whole: MachineInPlaceSync applies the Machine's later states under the same manager, so whatever the
      // KCP stops naming (a label of spec.machineTemplate.metadata, a taint) goes from it
      stored = Serialization.jsonMapper().convertValue(
          ServerSideApply.apply(client, machine, MachineInPlaceSync.FIELD_MANAGER), Machine.class);
      CrashPoints.reach("KubeadmControlPlane/machine-created");
      LOG.info("Machine {}/{} created ({}) for {} {}, failure domain \"{}\"", scope.namespace(), name,
          join ? "join" : "init", kcp.getKind(), kcp.getMetadata().getName(), failureDomain);
      events.normal(kcp, "SuccessfulCreate", "Created control plane Machine " + name + " (" + (join ? "join" : "init")
          + (failureDomain == null ? "" : ", failure domain " + failureDomain) + ")");
    } catch (RuntimeException e) {
      List<String> leftovers = cleanUp(created);
      String message = "failed to create control plane Machine " + scope.namespace() + "/" + name + ": "
          + e.getMessage() + (leftovers.isEmpty() ? "" : "; could not delete " + String.join(", ", leftovers));
      throw new MachineCreationException(message, e);
    }
    // the replacement exists and carries remediation-for: the remediation it completes is over (should this fail,
    // the annotation is stale from now on and the remediation phase removes it)
    RemediationInProgressAnnotation.remove(client, kcp);
    return stored;
  }

  /**
   * Creates an InfraMachine or KubeadmConfig by server-side apply under {@code capi-kubeadmcontrolplane}, which then
   * gives up its labels and annotations: from now on {@code capi-kubeadmcontrolplane-metadata} applies those alone
   * (MachineInPlaceSync), so a label the KCP stops naming goes, including one set at creation (upstream
   * {@code createInfraMachine}/{@code createKubeadmConfig}).
   */
  private GenericKubernetesResource createOwningAllButMetadata(HasMetadata desired) {
    GenericKubernetesResource stored = ServerSideApply.apply(client, desired, MachineInPlaceSync.FIELD_MANAGER);
    ServerSideApply.dropLabelsAndAnnotations(client, stored, MachineInPlaceSync.FIELD_MANAGER);
    return stored;
  }

  private List<String> cleanUp(List<HasMetadata> created) {
    List<String> failed = new ArrayList<>();
    for (int i = created.size() - 1; i >= 0; i--) {
      HasMetadata object = created.get(i);
      try {
        client.resource(object).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          failed.add(object.getKind() + " " + object.getMetadata().getName() + " (" + e.getMessage() + ")");
        }
      }
    }
    return failed;
  }
}
