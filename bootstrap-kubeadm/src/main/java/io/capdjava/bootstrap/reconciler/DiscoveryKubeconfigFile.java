package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.FileDiscovery;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigAuthExec;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigAuthExecEnv;
import io.capdjava.api.bootstrap.v1beta2.KubeConfigCluster;
import io.capdjava.bootstrap.yaml.GoYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubeconfig file CABPK writes for {@code joinConfiguration.discovery.file.kubeConfig} (upstream
 * {@code resolveDiscoveryKubeConfig}): cluster, user and context all named {@code default}, serialised as client-go's
 * v1 Config through sigs.k8s.io/yaml, at {@code kubeConfigPath}, root:root 0640.
 */
final class DiscoveryKubeconfigFile {
  private DiscoveryKubeconfigFile() {}

  static File of(FileDiscovery discovery) {
    KubeConfigCluster c = discovery.kubeConfig.cluster == null ? new KubeConfigCluster() : discovery.kubeConfig.cluster;
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("server", c.server == null ? "" : c.server);
    put(cluster, "tls-server-name", c.tlsServerName);
    if (Boolean.TRUE.equals(c.insecureSkipTLSVerify)) cluster.put("insecure-skip-tls-verify", true);
    put(cluster, "certificate-authority-data", c.certificateAuthorityData);
    put(cluster, "proxy-url", c.proxyURL);

    Map<String, Object> user = new LinkedHashMap<>();
    var u = discovery.kubeConfig.user;
    if (u != null && u.authProvider != null) {
      Map<String, Object> ap = new LinkedHashMap<>();
      ap.put("name", u.authProvider.name == null ? "" : u.authProvider.name);
      ap.put("config", u.authProvider.config == null ? null : new LinkedHashMap<String, Object>(u.authProvider.config));
      user.put("auth-provider", ap);
    }
    if (u != null && u.exec != null) {
      KubeConfigAuthExec e = u.exec;
      Map<String, Object> exec = new LinkedHashMap<>();
      exec.put("command", e.command == null ? "" : e.command);
      exec.put("args", e.args == null ? null : new ArrayList<Object>(e.args));
      List<Object> env = null;
      if (e.env != null) {
        env = new ArrayList<>();
        for (KubeConfigAuthExecEnv v : e.env) {
          Map<String, Object> ev = new LinkedHashMap<>();
          ev.put("name", v.name == null ? "" : v.name);
          ev.put("value", v.value == null ? "" : v.value);
          env.add(ev);
        }
      }
      exec.put("env", env);
      exec.put("apiVersion", e.apiVersion == null || e.apiVersion.isEmpty() ? "client.authentication.k8s.io/v1" : e.apiVersion);
      exec.put("provideClusterInfo", Boolean.TRUE.equals(e.provideClusterInfo));
      exec.put("interactiveMode", "Never");
      user.put("exec", exec);
    }

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("clusters", List.of(named("cluster", cluster)));
    config.put("users", List.of(named("user", user)));
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("cluster", "default");
    context.put("user", "default");
    config.put("contexts", List.of(named("context", context)));
    config.put("current-context", "default");

    File f = new File();
    f.path = discovery.kubeConfigPath;
    f.owner = "root:root";
    f.permissions = "0640";
    f.content = GoYaml.marshal(config);
    return f;
  }

  private static Map<String, Object> named(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "default");
    m.put(key, value);
    return m;
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (value != null && !value.isEmpty()) m.put(key, value);
  }
}
