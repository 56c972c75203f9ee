package io.capdjava.api.bootstrap.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** The cluster entry of a generated discovery kubeconfig (adapted from clientcmd's Cluster). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubeConfigCluster {
  /** Defaults to {@code https://} + the Cluster's control plane endpoint. */
  @Size(min = 1, max = 512)
  public String server;

  @Size(min = 1, max = 512)
  public String tlsServerName;

  public Boolean insecureSkipTLSVerify;

  /** Base64 of PEM CA certificates (upstream {@code []byte}); defaults to the Cluster's CA. */
  @Size(min = 1, max = 51200)
  public String certificateAuthorityData;

  /** http, https or socks5 proxy for the client. */
  @Size(min = 1, max = 512)
  public String proxyURL;
}
