package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.capdjava.api.schema.ListType;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;

/** How a node registers with the cluster during {@code kubeadm init} or {@code kubeadm join}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeRegistrationOptions {
  /** Node name (and kubelet client certificate CN); defaults to the hostname. */
  @Size(min = 1, max = 253)
  public String name;

  @Size(min = 1, max = 512)
  public String criSocket;

  /**
   * Taints to register the Node with. Null lets kubeadm apply its control plane default taint; an empty list means
   * no taints, so the two must stay distinct.
   */
  @Size(max = 100)
  public List<Taint> taints;

  /** Override kubeadm's default kubelet flags. */
  @ListType(value = "map", mapKeys = {"name", "value"})
  @Size(min = 1, max = 100)
  @ValidationRule(
      value = "self.all(x, self.exists_one(y, x.name == y.name))",
      message = "kubeletExtraArgs name must be unique")
  public List<Arg> kubeletExtraArgs;

  /** Preflight errors to ignore, e.g. {@code IsPrivilegedUser}; {@code all} ignores every check. */
  @ListType("atomic")
  @Size(min = 1, max = 50)
  public List<@Size(min = 1, max = 512) String> ignorePreflightErrors;

  /** kubeadm defaults to IfNotPresent. */
  @Enum({"Always", "IfNotPresent", "Never"})
  public String imagePullPolicy;

  /** Pull images one at a time (kubeadm default true; Kubernetes 1.31+). */
  public Boolean imagePullSerial;
}
