package io.capdjava.controlplane.phases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.Map;

/**
 * The KCP's {@code controlplane.cluster.x-k8s.io/remediation-in-progress} annotation: set when an unhealthy Machine is
 * deleted, removed once its replacement exists (the replacement carries it as {@code remediation-for}). Written with a
 * merge patch of that one annotation, and kept on the KCP being reconciled so the rest of the reconcile (the status
 * built from it, the Machine created next) sees it.
 */
final class RemediationInProgressAnnotation {
  private RemediationInProgressAnnotation() {}

  static void set(KubernetesClient client, KubeadmControlPlane kcp, String value) {
    patch(client, kcp, value);
    if (kcp.getMetadata().getAnnotations() == null) kcp.getMetadata().setAnnotations(new HashMap<>());
    kcp.getMetadata().getAnnotations().put(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION, value);
  }

  static void remove(KubernetesClient client, KubeadmControlPlane kcp) {
    Map<String, String> annotations = kcp.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION)) return;
    patch(client, kcp, null);
    annotations.remove(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION);
  }

  private static void patch(KubernetesClient client, KubeadmControlPlane kcp, String value) {
    ObjectNode body = Serialization.jsonMapper().createObjectNode();
    ObjectNode annotations = body.putObject("metadata").putObject("annotations");
    // null removes the key in a merge patch
    if (value == null) annotations.putNull(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION);
    else annotations.put(KubeadmControlPlane.REMEDIATION_IN_PROGRESS_ANNOTATION, value);
    KubeadmControlPlane stored = client.resources(KubeadmControlPlane.class)
        .inNamespace(kcp.getMetadata().getNamespace()).withName(kcp.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
    kcp.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
  }
}
