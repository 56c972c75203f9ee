package io.capdjava.controlplane.desired;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The InfraMachine of a control plane Machine, cloned from the InfraMachineTemplate named by
 * {@code spec.machineTemplate.spec.infrastructureRef} (upstream {@code external.GenerateTemplate}): the template's
 * {@code spec.template} (metadata and spec) under the Machine's name, kind without the {@code Template} suffix, the
 * control plane labels and annotations, {@code cloned-from-name}/{@code cloned-from-groupkind} annotations (what
 * rollouts compare) and a non-controller reference to the KCP.
 */
public final class InfrastructureMachineClone {
  private static final String TEMPLATE_SUFFIX = "Template";

  private InfrastructureMachineClone() {}

  @SuppressWarnings("unchecked")
  public static GenericKubernetesResource build(
      GenericKubernetesResource template, KubeadmControlPlane kcp, String clusterName, String name) {
    Map<String, Object> spec = template.getAdditionalProperties().get("spec") instanceof Map<?, ?> s
        ? (Map<String, Object>) s : Map.of();
    Map<String, Object> resource = spec.get("template") instanceof Map<?, ?> t
        ? Serialization.jsonMapper().convertValue(t, Map.class) : new LinkedHashMap<>();

    ObjectMeta templateMeta = resource.get("metadata") instanceof Map<?, ?> m
        ? Serialization.jsonMapper().convertValue(m, ObjectMeta.class) : new ObjectMeta();
    resource.remove("metadata");

    Map<String, String> annotations = new LinkedHashMap<>();
    if (templateMeta.getAnnotations() != null) annotations.putAll(templateMeta.getAnnotations());
    annotations.putAll(ControlPlaneMachineMetadata.annotations(kcp));
    annotations.put(Contract.Annotation.CLONED_FROM_NAME, template.getMetadata().getName());
    annotations.put(Contract.Annotation.CLONED_FROM_GROUP_KIND, groupKind(template.getKind(), group(template)));

    Map<String, String> labels = new LinkedHashMap<>();
    if (templateMeta.getLabels() != null) labels.putAll(templateMeta.getLabels());
    labels.putAll(ControlPlaneMachineMetadata.labels(kcp, clusterName));
    labels.put(Contract.Label.CLUSTER_NAME, clusterName);

    GenericKubernetesResource clone = new GenericKubernetesResource();
    clone.setApiVersion(template.getApiVersion());
    clone.setKind(kindOf(template.getKind()));
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(kcp.getMetadata().getNamespace());
    meta.setLabels(labels);
    meta.setAnnotations(annotations);
    meta.setOwnerReferences(List.of(DesiredKubeadmConfig.ownedByControlPlane(kcp)));
    clone.setMetadata(meta);
    resource.forEach(clone::setAdditionalProperty);
    return clone;
  }

  /** {@code DockerMachineTemplate} → {@code DockerMachine}. */
  public static String kindOf(String templateKind) {
    return templateKind.endsWith(TEMPLATE_SUFFIX)
        ? templateKind.substring(0, templateKind.length() - TEMPLATE_SUFFIX.length()) : templateKind;
  }

  /** Go's {@code GroupKind.String()}: {@code Kind.group}, or just the kind for the core group. */
  public static String groupKind(String kind, String group) {
    return group == null || group.isEmpty() ? kind : kind + "." + group;
  }

  private static String group(GenericKubernetesResource r) {
    String apiVersion = r.getApiVersion();
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
