package io.capdjava.docker.inmemory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a simulated machine's kubelet would make in its workload cluster: the Node (Ready, named after the
 * DevMachine, with its provider ID) and, on control plane machines, the mirror pods of kubeadm's static pods.
 */
final class SimulatedNodeObjects {
  static final String CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane";
  static final String KUBE_SYSTEM = "kube-system";
  /** The static pods kubeadm runs on a control plane node, by their {@code component} label. */
  static final List<String> STATIC_POD_COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  private SimulatedNodeObjects() {}

  static String providerId(String devMachineName) {
    return "in-memory://" + devMachineName;
  }

  static String staticPodName(String component, String nodeName) {
    return component + "-" + nodeName;
  }

  static ObjectNode node(String name, String providerId, String kubeletVersion, boolean controlPlane) {
    String now = now();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    if (controlPlane) labels.put(CONTROL_PLANE_ROLE, "");
    var builder = new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec()
        .withNewStatus()
        .withConditions(
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now))
        .withNewNodeInfo().withKubeletVersion(kubeletVersion).withOperatingSystem("linux").withArchitecture("amd64")
            .withContainerRuntimeVersion("containerd://2.1.4").endNodeInfo()
        .endStatus();
    if (controlPlane) {
      builder.editSpec().addNewTaint().withKey(CONTROL_PLANE_ROLE).withEffect("NoSchedule").endTaint().endSpec();
    }
    return Serialization.jsonMapper().valueToTree(builder.build());
  }

  /**
   * The mirror pod of a static pod: Running and Ready, marked as a mirror pod (drain leaves those alone, as it does
   * on a real node).
   */
  static ObjectNode staticPod(String component, String nodeName, String image) {
    String now = now();
    var pod = new PodBuilder()
        .withNewMetadata().withName(staticPodName(component, nodeName)).withNamespace(KUBE_SYSTEM)
            .withLabels(Map.of("component", component, "tier", "control-plane"))
            .withAnnotations(Map.of("kubernetes.io/config.mirror", component + "-" + nodeName,
                "kubernetes.io/config.source", "file"))
        .endMetadata()
        .withNewSpec().withNodeName(nodeName).withPriorityClassName("system-node-critical")
            .addNewContainer().withName(component).withImage(image).endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running")
            .addNewCondition().withType("Initialized").withStatus("True").withLastTransitionTime(now).endCondition()
            .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
            .addNewCondition().withType("ContainersReady").withStatus("True").withLastTransitionTime(now).endCondition()
            .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(now).endCondition()
            .withStartTime(now)
        .endStatus()
        .build();
    return Serialization.jsonMapper().valueToTree(pod);
  }

  private static NodeCondition condition(String type, String status, String reason, String message, String now) {
    return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
