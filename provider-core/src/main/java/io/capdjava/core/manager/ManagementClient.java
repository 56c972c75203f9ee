package io.capdjava.core.manager;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.capdjava.api.ServedKinds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.security.Security;
import java.util.List;
import java.util.stream.Stream;

/** The management cluster's client of a provider process, from the usual kubeconfig or in-cluster configuration. */
public final class ManagementClient {
  /** The JDK's property (system or security) for the PBKDF2 iterations protecting a PKCS12 key entry. */
  static final String KEY_PBE_ITERATIONS = "keystore.pkcs12.keyPbeIterationCount";

  private ManagementClient() {}

  public static KubernetesClient build() {
    protectInMemoryKeyStoresCheaply();
    TlsCipherPreference.applyForThisJit();
    Config config = configuration();
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpClientFactory(config))
        .withKubernetesSerialization(serialization()).build();
  }

  /**
   * fabric8 reads the object of a watch event as the class registered for its kind, and an object of any other kind
   * as a generic resource which it then converts, through a JSON tree, to the informer's class: every event of our
   * kinds and CAPI core's was read twice (half the watch work of the HTTP threads with 50 machines provisioned).
   * Registered, they are read once, straight into their classes; nothing is lost, as our kinds are modelled whole and
   * CAPI core's keep the fields we do not model. Only these are registered: fabric8's own registry (every kind of its
   * model, found by loading each class: about 10 MiB and a tenth of a second at the first watch event) served no kind
   * the providers watch, and a built-in kind watched some day would still reach its informer as its class, converted.
   */
  static KubernetesSerialization serialization() {
    KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
    Stream.of(ServedKinds.ALL, ServedKinds.UPSTREAM_MODELLED).flatMap(List::stream)
        .forEach(serialization::registerKubernetesResource);
    return serialization;
  }

  static Config configuration() {
    return ClusterCaTrust.apply(watchingOverOneConnection(KubeconfigFiles.autoConfigure()));
  }

  /**
   * fabric8's token interceptor looks in an auto-configured client's kubeconfig files for a newer token once a minute,
   * and records the look only when it finds one. A user with a client certificate and no token (kind's, clusterctl's
   * and our kubeconfigs) has none to find, so from the client's second minute on every request read and parsed the
   * files again through fabric8's model mapping: measured, a fifth of the reconcile threads' CPU with 50 machines
   * provisioned at once. Such a client gets no token interceptor: it has no token to send or renew, and a certificate
   * rewritten in its files would not reach a client already built anyway. Token, exec and auth-provider users keep it.
   */
  static HttpClient.Factory httpClientFactory(Config config) {
    boolean token = config.getOauthToken() != null || config.getAutoOAuthToken() != null
        || config.getOauthTokenProvider() != null || config.getAuthProvider() != null
        || config.getUsername() != null;
    boolean certificate = config.getClientCertData() != null || config.getClientCertFile() != null;
    return certificate && !token ? new JdkHttpClientWithoutTokenRefresh() : new JdkHttpClientFactory();
  }

  private static final class JdkHttpClientWithoutTokenRefresh extends JdkHttpClientFactory {
    @Override
    public HttpClient.Builder newBuilder(Config config) {
      return super.newBuilder(config).addOrReplaceInterceptor(TokenRefreshInterceptor.NAME, new Interceptor() {});
    }
  }

  /**
   * Watches as streamed HTTP requests, not WebSockets. fabric8 opens each WebSocket watch on a connection of its own
   * (HTTP/1.1 upgrade), so the thirty-odd informers of the three providers made thirty TLS connections at start-up,
   * thirty handshakes each signed with the kubeconfig's client key, where streamed watches share the client's one
   * HTTP/2 connection with every other request, as client-go's do (measured: 0.5 s less start-up CPU, 18 MiB less
   * resident). fabric8 reports such a watch as not watching until its first event arrives, which on a quiet
   * management cluster may be minutes: readiness ({@link Readiness}) therefore asks for synced informers, not
   * watching ones.
   */
  static Config watchingOverOneConnection(Config config) {
    config.setOnlyHttpWatches(true);
    return config;
  }

  /**
   * The process's PKCS12 key stores live only in memory, never on disk: fabric8 puts a kubeconfig's client key in one
   * for TLS (the management client, then every workload cluster client), as do the metrics endpoint and KCP's etcd
   * client. The JDK still guards each entry with 10,000 PBKDF2 iterations when it goes in and again when a key manager
   * reads it out: measured, about a tenth of a provider's start-up CPU, and tens of milliseconds more for each workload
   * cluster client. One iteration does for a store nobody can read but this process. A value the operator set (as a
   * system or security property) is kept.
   */
  static void protectInMemoryKeyStoresCheaply() {
    if (System.getProperty(KEY_PBE_ITERATIONS) == null && Security.getProperty(KEY_PBE_ITERATIONS) == null) {
      System.setProperty(KEY_PBE_ITERATIONS, "1");
    }
  }
}
