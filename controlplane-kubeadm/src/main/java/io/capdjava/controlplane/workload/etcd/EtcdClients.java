package io.capdjava.controlplane.workload.etcd;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Opens {@link EtcdClient}s to the etcd members of one workload cluster (upstream {@code EtcdClientGenerator}): a
 * port-forward through the workload API server to port 2379 of the static pod {@code kube-system/etcd-<node>}, then
 * TLS with KCP's etcd client certificate.
 */
public final class EtcdClients {
  /** Upstream's {@code --etcd-dial-timeout-duration} default. */
  public static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);
  /** Upstream's {@code --etcd-call-timeout-duration} default. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
  static final int CLIENT_PORT = 2379;
  static final String NAMESPACE = "kube-system";

  private final KubernetesClient workload;
  private final HttpClient http;

  public EtcdClients(KubernetesClient workload, SSLContext tls) {
    this.workload = workload;
    this.http = HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(DIAL_TIMEOUT)
        .build();
  }

  /** The static pod that runs the etcd member of a node. */
  public static String podName(String nodeName) {
    return "etcd-" + nodeName;
  }

  /** A client for the first of {@code nodeNames} whose etcd member answers. */
  public EtcdClient forFirstAvailableNode(List<String> nodeNames) {
    if (nodeNames.isEmpty()) throw new IllegalArgumentException("no Nodes to reach etcd on");
    List<String> errors = new ArrayList<>();
    for (String node : nodeNames) {
      String pod = podName(node);
      try {
        LocalPortForward forward = workload.pods().inNamespace(NAMESPACE).withName(pod)
            .portForward(CLIENT_PORT, InetAddress.getLoopbackAddress(), 0);
        return EtcdGatewayClient.open(pod, forward, http, CALL_TIMEOUT);
      } catch (RuntimeException e) {
        errors.add(e.getMessage());
      }
    }
    throw new EtcdException("could not establish a connection to etcd members hosted on "
        + String.join(",", nodeNames) + ": " + String.join("; ", errors));
  }
}
