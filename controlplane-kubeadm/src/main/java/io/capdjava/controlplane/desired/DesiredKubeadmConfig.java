package io.capdjava.controlplane.desired;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinControlPlane;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.core.KubernetesVersion;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;

/**
 * The KubeadmConfig of a control plane Machine (upstream {@code ComputeDesiredKubeadmConfig}): a copy of
 * {@code spec.kubeadmConfigSpec} where the first Machine keeps only the init configuration and joining Machines only
 * the join configuration with {@code controlPlane: {}} (the marker CABPK and KCP read as "control plane join"). For
 * Kubernetes 1.31 up to 1.35 the {@code ControlPlaneKubeletLocalMode} feature gate is switched on unless set.
 */
public final class DesiredKubeadmConfig {
  public static final String CONTROL_PLANE_KUBELET_LOCAL_MODE = "ControlPlaneKubeletLocalMode";

  private DesiredKubeadmConfig() {}

  /** Thrown when {@code spec.version} cannot be read as a Kubernetes version. */
  public static final class InvalidVersionException extends IllegalArgumentException {
    InvalidVersionException(String version) {
      super("spec.version: cannot parse Kubernetes version \"" + version + "\"");
    }
  }

  public static KubeadmConfig build(KubeadmControlPlane kcp, String clusterName, boolean join, String name) {
    KubeadmConfig config = new KubeadmConfig();
    config.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(kcp.getMetadata().getNamespace())
        .withLabels(ControlPlaneMachineMetadata.labels(kcp, clusterName))
        .withAnnotations(ControlPlaneMachineMetadata.annotations(kcp))
        .withOwnerReferences(ownedByControlPlane(kcp))
        .build());
    config.setSpec(spec(kcp, join));
    return config;
  }

  /**
   * A non-controller reference to the KCP: CAPI core replaces it with the Machine as controller once the Machine
   * reconciles (it removes references to the Cluster's control plane kind).
   */
  public static OwnerReference ownedByControlPlane(KubeadmControlPlane kcp) {
    return new OwnerReferenceBuilder()
        .withApiVersion(kcp.getApiVersion())
        .withKind(kcp.getKind())
        .withName(kcp.getMetadata().getName())
        .withUid(kcp.getMetadata().getUid())
        .build();
  }

  public static KubeadmConfigSpec spec(KubeadmControlPlane kcp, boolean join) {
    KubeadmConfigSpec spec = copy(kcp.getSpec().kubeadmConfigSpec);
    if (join) {
      spec.initConfiguration = null;
      if (spec.joinConfiguration == null) spec.joinConfiguration = new JoinConfiguration();
      if (spec.joinConfiguration.controlPlane == null) spec.joinConfiguration.controlPlane = new JoinControlPlane();
    } else {
      spec.joinConfiguration = null;
    }
    KubernetesVersion version = KubernetesVersion.tryParse(kcp.getSpec().version)
        .orElseThrow(() -> new InvalidVersionException(kcp.getSpec().version));
    defaultFeatureGates(spec, version);
    return spec;
  }

  /** Upstream {@code DefaultFeatureGates}: kubelets talk to the local API server on 1.31 ≤ version < 1.36. */
  static void defaultFeatureGates(KubeadmConfigSpec spec, KubernetesVersion version) {
    if (version.compareIgnoringPreRelease(1, 31, 0) < 0 || version.compareIgnoringPreRelease(1, 36, 0) >= 0) return;
    if (spec.clusterConfiguration == null) spec.clusterConfiguration = new ClusterConfiguration();
    if (spec.clusterConfiguration.featureGates == null) spec.clusterConfiguration.featureGates = new LinkedHashMap<>();
    spec.clusterConfiguration.featureGates.putIfAbsent(CONTROL_PLANE_KUBELET_LOCAL_MODE, true);
  }

  /**
   * A Machine's KubeadmConfig spec as compared with the KCP's: the feature gates the KCP only defaults (not set in its
   * own spec) defaulted the same way, unless the Machine's config sets them. Ours, not upstream's: upstream compares
   * the bare spec, so every Machine it adopts (a KubeadmConfig written by a user, as in its kcp-adoption spec) is
   * rolled out on Kubernetes 1.31-1.35 just for ControlPlaneKubeletLocalMode, which the user never asked for.
   */
  public static KubeadmConfigSpec withDefaultedFeatureGates(KubeadmConfigSpec current, KubeadmControlPlane kcp) {
    var own = kcp.getSpec().kubeadmConfigSpec == null ? null : kcp.getSpec().kubeadmConfigSpec.clusterConfiguration;
    if (own != null && own.featureGates != null && own.featureGates.containsKey(CONTROL_PLANE_KUBELET_LOCAL_MODE)) {
      return current;
    }
    var version = KubernetesVersion.tryParse(kcp.getSpec().version);
    if (version.isEmpty()) return current;
    KubeadmConfigSpec defaulted = copy(current);
    defaultFeatureGates(defaulted, version.get());
    return defaulted;
  }

  static KubeadmConfigSpec copy(KubeadmConfigSpec spec) {
    if (spec == null) return new KubeadmConfigSpec();
    return Serialization.jsonMapper().convertValue(spec, KubeadmConfigSpec.class);
  }
}
