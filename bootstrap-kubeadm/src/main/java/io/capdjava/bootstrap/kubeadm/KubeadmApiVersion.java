package io.capdjava.bootstrap.kubeadm;

import io.capdjava.core.KubernetesVersion;

import io.capdjava.core.KubernetesVersion;

/** The kubeadm configuration API a Kubernetes version reads (upstream {@code KubeVersionToKubeadmAPIGroupVersion}). */
public enum KubeadmApiVersion {
  /** Kubernetes 1.22 to 1.30. */
  V1BETA3("kubeadm.k8s.io/v1beta3"),
  /** Kubernetes 1.31 and later. */
  V1BETA4("kubeadm.k8s.io/v1beta4");

  private final String apiVersion;

  KubeadmApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public String apiVersion() {
    return apiVersion;
  }

  /** The API for {@code version}; below 1.22 is not supported (upstream's message). */
  public static KubeadmApiVersion forKubernetes(KubernetesVersion version) {
    if (version.isBefore(1, 22)) {
      throw new UnsupportedKubernetesVersionException(
          "the bootstrap provider for kubeadm doesn't support Kubernetes version lower than v1.22.0 (got " + version + ")");
    }
    return version.isBefore(1, 31) ? V1BETA3 : V1BETA4;
  }

  /** A Kubernetes version kubeadm's configuration API cannot express. */
  public static class UnsupportedKubernetesVersionException extends RuntimeException {
    public UnsupportedKubernetesVersionException(String message) {
      super(message);
    }
  }
}
