package io.capdjava.core.manager;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The client configuration fabric8's {@code Config.autoConfigure(null)} makes, without its way of reading kubeconfig
 * files.
 *
 * <p>fabric8 maps a kubeconfig onto its model with its shared Jackson mapper, and the model's extension fields make
 * that mapper build its registry of every Kubernetes kind first: loading hundreds of model classes and building
 * deserializers for them, which the providers' own client (with a mapper of its own) never uses. Measured, that was a
 * quarter of the main thread's start-up CPU. The kubeconfigs a provider is given (kind's, clusterctl's, ours) hold
 * plain strings: those are read here with the YAML parser alone, put into fabric8's model, and handed to fabric8's own
 * merge, so contexts, relative file paths, tokens and the system properties and environment variables fabric8 reads
 * work as before. A kubeconfig with anything else (exec or auth-provider credentials, extensions, preferences) and
 * in-cluster configuration go to fabric8 whole. Workload clusters' kubeconfigs (secrets) are read the same way.
 */
public final class KubeconfigFiles {
  /** fabric8's key, in a named entry's additional properties, for the file it came from (relative paths). */
  private static final String CONTEXT_FILE_KEY = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";
  private static final String CLUSTER_FILE_KEY = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
  private static final String AUTH_INFO_FILE_KEY = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";

  private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "clusters", "contexts", "users",
      "current-context", "preferences");

  private KubeconfigFiles() {}

  /** As {@code Config.autoConfigure(null)}. */
  static Config autoConfigure() {
    return readPlainly().orElseGet(() -> Config.autoConfigure(null));
  }

  /** The configuration from the kubeconfig files fabric8 would read, when each holds only what is read here. */
  static Optional<Config> readPlainly() {
    if (!Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, true)) {
      return Optional.empty();
    }
    List<io.fabric8.kubernetes.api.model.Config> kubeconfigs = new ArrayList<>();
    for (String name : Config.getKubeconfigFilenames()) {
      File file = new File(name);
      if (!file.isFile()) continue;
      Optional<io.fabric8.kubernetes.api.model.Config> read = read(file);
      if (read.isEmpty()) return Optional.empty();
      kubeconfigs.add(read.get());
    }
    if (kubeconfigs.isEmpty()) return Optional.empty();
    // what Config.autoConfigure does with the files it parsed
    Config config = new Config(false) {};
    KubeConfigUtils.merge(config, null, kubeconfigs.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
    Config.configFromSysPropsOrEnvVars(config);
    config.setAutoConfigure(true);
    return Optional.of(config);
  }

  /** As {@code Config.fromKubeconfig(kubeconfig)}: a client configuration from a kubeconfig's content alone. */
  public static Config fromKubeconfig(String kubeconfig) {
    return read(kubeconfig, null).map(model -> {
      // what fabric8's Config.fromKubeconfig does with the kubeconfig it parsed
      Config config = Config.empty();
      KubeConfigUtils.merge(config, null, model);
      return config;
    }).orElseGet(() -> Config.fromKubeconfig(kubeconfig));
  }

  /** One kubeconfig file in fabric8's model, or empty when it holds anything not read here (or is no kubeconfig). */
  static Optional<io.fabric8.kubernetes.api.model.Config> read(File file) {
    try {
      return read(Files.readString(file.toPath()), file);
    } catch (IOException e) {
      return Optional.empty(); // fabric8 reads it again and says what is wrong
    }
  }

  /** {@code file}: where relative paths in it start from; null for a kubeconfig that is no file (as fabric8). */
  private static Optional<io.fabric8.kubernetes.api.model.Config> read(String content, File file) {
    Object document;
    try {
      document = new Load(LoadSettings.builder().build()).loadFromString(content);
    } catch (RuntimeException e) {
      return Optional.empty(); // fabric8 reads it again and says what is wrong
    }
    if (!(document instanceof Map<?, ?> top) || !TOP_LEVEL.containsAll(top.keySet())) return Optional.empty();
    if (top.get("preferences") instanceof Map<?, ?> preferences && !preferences.isEmpty()) return Optional.empty();
    var kubeconfig = new io.fabric8.kubernetes.api.model.Config();
    kubeconfig.setApiVersion(string(top.get("apiVersion")));
    kubeconfig.setKind(string(top.get("kind")));
    kubeconfig.setCurrentContext(string(top.get("current-context")));
    try {
      kubeconfig.setClusters(named(top.get("clusters"), "cluster", CLUSTER_FIELDS, Cluster::new, (name, cluster) -> {
        NamedCluster named = new NamedCluster(cluster, name);
        if (file != null) named.setAdditionalProperty(CLUSTER_FILE_KEY, file);
        return named;
      }));
      kubeconfig.setContexts(named(top.get("contexts"), "context", CONTEXT_FIELDS, Context::new, (name, context) -> {
        NamedContext named = new NamedContext(context, name);
        if (file != null) named.setAdditionalProperty(CONTEXT_FILE_KEY, file);
        return named;
      }));
      kubeconfig.setUsers(named(top.get("users"), "user", USER_FIELDS, AuthInfo::new, (name, user) -> {
        NamedAuthInfo named = new NamedAuthInfo(name, user);
        if (file != null) named.setAdditionalProperty(AUTH_INFO_FILE_KEY, file);
        return named;
      }));
    } catch (NotPlain e) {
      return Optional.empty();
    }
    return Optional.of(kubeconfig);
  }

  private static final Map<String, BiConsumer<Cluster, Object>> CLUSTER_FIELDS = Map.of(
      "server", (c, v) -> c.setServer(string(v)),
      "certificate-authority", (c, v) -> c.setCertificateAuthority(string(v)),
      "certificate-authority-data", (c, v) -> c.setCertificateAuthorityData(string(v)),
      "insecure-skip-tls-verify", (c, v) -> c.setInsecureSkipTlsVerify(bool(v)),
      "tls-server-name", (c, v) -> c.setTlsServerName(string(v)),
      "proxy-url", (c, v) -> c.setProxyUrl(string(v)),
      "disable-compression", (c, v) -> c.setDisableCompression(bool(v)));

  private static final Map<String, BiConsumer<Context, Object>> CONTEXT_FIELDS = Map.of(
      "cluster", (c, v) -> c.setCluster(string(v)),
      "user", (c, v) -> c.setUser(string(v)),
      "namespace", (c, v) -> c.setNamespace(string(v)));

  private static final Map<String, BiConsumer<AuthInfo, Object>> USER_FIELDS = Map.of(
      "client-certificate", (u, v) -> u.setClientCertificate(string(v)),
      "client-certificate-data", (u, v) -> u.setClientCertificateData(string(v)),
      "client-key", (u, v) -> u.setClientKey(string(v)),
      "client-key-data", (u, v) -> u.setClientKeyData(string(v)),
      "token", (u, v) -> u.setToken(string(v)),
      "tokenFile", (u, v) -> u.setTokenFile(string(v)),
      "username", (u, v) -> u.setUsername(string(v)),
      "password", (u, v) -> u.setPassword(string(v)));

  /** Thrown where a kubeconfig holds something {@link #read} leaves to fabric8. */
  private static final class NotPlain extends RuntimeException {
    NotPlain() {
      super(null, null, false, false);
    }
  }

  private static <T, N> List<N> named(Object entries, String key, Map<String, BiConsumer<T, Object>> fields,
      Supplier<T> create, BiFunction<String, T, N> naming) {
    List<N> result = new ArrayList<>();
    if (entries == null) return result;
    if (!(entries instanceof List<?> list)) throw new NotPlain();
    for (Object entry : list) {
      if (!(entry instanceof Map<?, ?> map) || !Set.of("name", key).containsAll(map.keySet())) throw new NotPlain();
      T value = create.get();
      Object body = map.get(key);
      if (body != null) {
        if (!(body instanceof Map<?, ?> bodyFields)) throw new NotPlain();
        for (Map.Entry<?, ?> field : bodyFields.entrySet()) {
          BiConsumer<T, Object> setter = fields.get(String.valueOf(field.getKey()));
          if (setter == null) throw new NotPlain();
          setter.accept(value, field.getValue());
        }
      }
      result.add(naming.apply(string(map.get("name")), value));
    }
    return result;
  }

  private static String string(Object value) {
    if (value == null || value instanceof String) return (String) value;
    if (value instanceof Number || value instanceof Boolean) return String.valueOf(value);
    throw new NotPlain();
  }

  private static Boolean bool(Object value) {
    if (value == null || value instanceof Boolean) return (Boolean) value;
    throw new NotPlain();
  }
}
