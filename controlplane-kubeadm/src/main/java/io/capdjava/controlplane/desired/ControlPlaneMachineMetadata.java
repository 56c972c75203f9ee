package io.capdjava.controlplane.desired;

import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.Contract;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The labels and annotations of every object KCP creates per Machine (Machine, KubeadmConfig, InfraMachine): those
 * of {@code spec.machineTemplate.metadata}, with the cluster name, control plane marker and control plane name labels
 * forced over them (upstream {@code ControlPlaneMachineLabels} / {@code ControlPlaneMachineAnnotations}).
 */
public final class ControlPlaneMachineMetadata {
  private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

  private ControlPlaneMachineMetadata() {}

  public static Map<String, String> labels(KubeadmControlPlane kcp, String clusterName) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (kcp.getSpec().machineTemplate != null && kcp.getSpec().machineTemplate.metadata != null
        && kcp.getSpec().machineTemplate.metadata.labels != null) {
      labels.putAll(kcp.getSpec().machineTemplate.metadata.labels);
    }
    labels.put(Contract.Label.CLUSTER_NAME, clusterName);
    labels.put(Contract.Label.CONTROL_PLANE, "");
    labels.put(Contract.Label.CONTROL_PLANE_NAME, labelValue(kcp.getMetadata().getName()));
    return labels;
  }

  public static Map<String, String> annotations(KubeadmControlPlane kcp) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (kcp.getSpec().machineTemplate != null && kcp.getSpec().machineTemplate.metadata != null
        && kcp.getSpec().machineTemplate.metadata.annotations != null) {
      annotations.putAll(kcp.getSpec().machineTemplate.metadata.annotations);
    }
    return annotations;
  }

  /**
   * {@code value} when it is a valid label value, else {@code hash_<base64url(fnv32a(value))>_z} (upstream
   * {@code format.MustFormatValue}), so a KCP name longer than 63 characters still yields a label.
   */
  public static String labelValue(String value) {
    if (value.length() <= 63 && LABEL_VALUE.matcher(value).matches()) return value;
    int hash = 0x811c9dc5;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    byte[] sum = {(byte) (hash >>> 24), (byte) (hash >>> 16), (byte) (hash >>> 8), (byte) hash};
    return "hash_" + Base64.getUrlEncoder().withoutPadding().encodeToString(sum) + "_z";
  }
}
