package io.capdjava.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;

/**
 * Patches a status only when it changed. Take a {@link #snapshot} of the status as read, build the new one, then
 * return {@link #ifChanged}: an unchanged status costs no API call and wakes no watcher.
 */
public final class StatusPatch {
  private StatusPatch() {}

  /** A deep copy of the status as it was read, to compare against later. */
  public static JsonNode snapshot(CustomResource<?, ?> resource) {
    return Serialization.jsonMapper().valueToTree(resource.getStatus());
  }

  public static boolean changed(JsonNode before, CustomResource<?, ?> resource) {
    return !Objects.equals(before, Serialization.jsonMapper().valueToTree(resource.getStatus()));
  }

  public static <P extends CustomResource<?, ?>> UpdateControl<P> ifChanged(JsonNode before, P resource) {
    return changed(before, resource) ? UpdateControl.patchStatus(statusOnly(resource)) : UpdateControl.noUpdate();
  }

  /**
   * What the status apply sends: name, namespace and status. The operator SDK applies the object it is given to the
   * status subresource; applied labels, annotations or spec fields, though ignored there, would be recorded as ours
   * in managedFields, and a label the owner's apply later drops (CAPI's topology controller on a KubeadmControlPlane)
   * would stay, co-owned.
   */
  @SuppressWarnings("unchecked")
  public static <P extends CustomResource<?, ?>> P statusOnly(P resource) {
    P copy = (P) Serialization.clone(resource);
    copy.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace()).build());
    copy.setSpec(null);
    return copy;
  }
}
