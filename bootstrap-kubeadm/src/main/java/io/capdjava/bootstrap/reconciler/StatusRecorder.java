package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigInitializationStatus;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigStatus;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;

/**
 * Builds a KubeadmConfig's status the way upstream does: {@code DataSecretAvailable} and
 * {@code CertificatesAvailable} set by the phases, {@code Ready} their summary, the contract fields
 * {@code dataSecretName} and {@code initialization.dataSecretCreated}, and {@code observedGeneration} only after a
 * reconcile that did not fail.
 */
final class StatusRecorder {
  private final KubeadmConfig config;

  StatusRecorder(KubeadmConfig config) {
    this.config = config;
    if (config.getStatus() == null) config.setStatus(new KubeadmConfigStatus());
  }

  KubeadmConfigStatus status() {
    return config.getStatus();
  }

  boolean dataSecretCreated() {
    return status().initialization != null && Boolean.TRUE.equals(status().initialization.dataSecretCreated);
  }

  void dataSecretCreated(String secretName) {
    status().dataSecretName = secretName;
    if (status().initialization == null) status().initialization = new KubeadmConfigInitializationStatus();
    status().initialization.dataSecretCreated = true;
    set(Contract.Bootstrap.DATA_SECRET_AVAILABLE, Conditions.TRUE, Contract.Bootstrap.AVAILABLE_REASON, "");
  }

  void certificatesAvailable() {
    set(Contract.Bootstrap.CERTIFICATES_AVAILABLE, Conditions.TRUE, Contract.Bootstrap.AVAILABLE_REASON, "");
  }

  void dataSecretNotAvailable(String reason, String message) {
    set(Contract.Bootstrap.DATA_SECRET_AVAILABLE, Conditions.FALSE, reason, message);
  }

  /**
   * Says the machine waits for the control plane. Upstream sets this only when the condition is absent, which leaves
   * an earlier "waiting for infrastructure" message standing; the transition time does not move either way.
   */
  void waitingForControlPlane() {
    dataSecretNotAvailable(Contract.Bootstrap.NOT_AVAILABLE_REASON, "Waiting for Cluster control plane to be initialized");
  }

  void certificatesNotAvailable(String message) {
    set(Contract.Bootstrap.CERTIFICATES_AVAILABLE, Conditions.UNKNOWN, Contract.Bootstrap.INTERNAL_ERROR_REASON, message);
  }

  void paused(io.fabric8.kubernetes.api.model.Condition paused) {
    status().conditions = Conditions.set(status().conditions, paused);
  }

  /** The summary {@code Ready}, and observedGeneration when the reconcile succeeded. */
  void finish(boolean succeeded) {
    Long generation = config.getMetadata().getGeneration();
    status().conditions = Conditions.set(status().conditions, Conditions.summary(status().conditions, generation,
        Contract.Bootstrap.DATA_SECRET_AVAILABLE, Contract.Bootstrap.CERTIFICATES_AVAILABLE));
    if (succeeded) status().observedGeneration = generation;
  }

  private void set(String type, String value, String reason, String message) {
    status().conditions = Conditions.set(status().conditions,
        Conditions.of(type, value, reason, message, config.getMetadata().getGeneration()));
  }
}
