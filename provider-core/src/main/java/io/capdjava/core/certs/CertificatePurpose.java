package io.capdjava.core.certs;

/** What a cluster certificate secret is for; the suffix names the secret {@code <cluster>-<suffix>} (upstream {@code secret.Purpose}). */
public enum CertificatePurpose {
  CLUSTER_CA("ca"),
  ETCD_CA("etcd"),
  FRONT_PROXY_CA("proxy"),
  SERVICE_ACCOUNT("sa"),
  APISERVER_ETCD_CLIENT("apiserver-etcd-client");

  private final String suffix;

  CertificatePurpose(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  public String secretName(String cluster) {
    return cluster + "-" + suffix;
  }
}
