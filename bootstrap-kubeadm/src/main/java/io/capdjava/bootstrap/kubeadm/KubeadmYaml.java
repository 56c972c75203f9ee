package io.capdjava.bootstrap.kubeadm;

import io.capdjava.core.GoDuration;
import io.capdjava.api.bootstrap.v1beta2.APIEndpoint;
import io.capdjava.api.bootstrap.v1beta2.Arg;
import io.capdjava.api.bootstrap.v1beta2.BootstrapToken;
import io.capdjava.api.bootstrap.v1beta2.BootstrapTokenDiscovery;
import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.Discovery;
import io.capdjava.api.bootstrap.v1beta2.ExternalEtcd;
import io.capdjava.api.bootstrap.v1beta2.FileDiscovery;
import io.capdjava.api.bootstrap.v1beta2.HostPathMount;
import io.capdjava.api.bootstrap.v1beta2.InitConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.LocalEtcd;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.bootstrap.v1beta2.Patches;
import io.capdjava.api.bootstrap.v1beta2.Timeouts;
import io.capdjava.bootstrap.yaml.GoYaml;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kubeadm's ClusterConfiguration, InitConfiguration and JoinConfiguration documents, rendered from the v1beta2
 * KubeadmConfig types for the kubeadm API a Kubernetes version reads, byte-identical to upstream CABPK
 * ({@code bootstrap/kubeadm/pkg/types}: conversion to {@code upstreamv1beta3}/{@code upstreamv1beta4}, then the
 * Kubernetes YAML serializer). The trees below follow the Go types' JSON tags: fields without {@code omitempty}
 * are always written (structs as {@code {}}, nil slices as {@code null}).
 */
public final class KubeadmYaml {
  private KubeadmYaml() {}

  public static String clusterConfiguration(ClusterConfiguration in, KubeadmApiVersion api, ClusterFacts facts) {
    ClusterConfiguration c = in == null ? new ClusterConfiguration() : in;
    boolean v4 = api == KubeadmApiVersion.V1BETA4;
    Map<String, Object> m = document(api, "ClusterConfiguration");

    Map<String, Object> etcd = new LinkedHashMap<>();
    if (c.etcd != null && isDefined(c.etcd.local)) etcd.put("local", localEtcd(c.etcd.local, v4));
    if (c.etcd != null && isDefined(c.etcd.external)) etcd.put("external", externalEtcd(c.etcd.external));
    m.put("etcd", etcd);

    Map<String, Object> networking = new LinkedHashMap<>();
    putString(networking, "serviceSubnet", facts == null ? null : facts.serviceSubnet());
    putString(networking, "podSubnet", facts == null ? null : facts.podSubnet());
    putString(networking, "dnsDomain", facts == null ? null : facts.dnsDomain());
    m.put("networking", networking);
    putString(m, "kubernetesVersion", facts == null ? null : facts.kubernetesVersion());
    putString(m, "controlPlaneEndpoint", c.controlPlaneEndpoint);

    Map<String, Object> apiServer = component(
        c.apiServer == null ? null : c.apiServer.extraArgs, c.apiServer == null ? null : c.apiServer.extraVolumes,
        c.apiServer == null ? null : c.apiServer.extraEnvs, v4);
    putList(apiServer, "certSANs", c.apiServer == null ? null : c.apiServer.certSANs);
    if (!v4 && facts != null && facts.controlPlaneComponentHealthCheckSeconds() != null) {
      apiServer.put("timeoutForControlPlane", GoDuration.ofSeconds(facts.controlPlaneComponentHealthCheckSeconds()));
    }
    m.put("apiServer", apiServer);
    m.put("controllerManager", component(
        c.controllerManager == null ? null : c.controllerManager.extraArgs,
        c.controllerManager == null ? null : c.controllerManager.extraVolumes,
        c.controllerManager == null ? null : c.controllerManager.extraEnvs, v4));
    m.put("scheduler", component(
        c.scheduler == null ? null : c.scheduler.extraArgs, c.scheduler == null ? null : c.scheduler.extraVolumes,
        c.scheduler == null ? null : c.scheduler.extraEnvs, v4));
    Map<String, Object> dns = new LinkedHashMap<>();
    if (c.dns != null) {
      putString(dns, "imageRepository", c.dns.imageRepository);
      putString(dns, "imageTag", c.dns.imageTag);
    }
    m.put("dns", dns);
    if (v4) m.put("proxy", new LinkedHashMap<>());
    putString(m, "certificatesDir", c.certificatesDir);
    putString(m, "imageRepository", c.imageRepository);
    if (c.featureGates != null && !c.featureGates.isEmpty()) m.put("featureGates", new LinkedHashMap<>(c.featureGates));
    putString(m, "clusterName", facts == null ? null : facts.clusterName());
    if (v4) {
      putString(m, "encryptionAlgorithm", c.encryptionAlgorithm);
      if (c.certificateValidityPeriodDays != null && c.certificateValidityPeriodDays != 0) {
        m.put("certificateValidityPeriod", GoDuration.ofSeconds(c.certificateValidityPeriodDays * 86400L));
      }
      if (c.caCertificateValidityPeriodDays != null && c.caCertificateValidityPeriodDays != 0) {
        m.put("caCertificateValidityPeriod", GoDuration.ofSeconds(c.caCertificateValidityPeriodDays * 86400L));
      }
    }
    return GoYaml.marshal(m);
  }

  public static String initConfiguration(InitConfiguration in, KubeadmApiVersion api) {
    InitConfiguration c = in == null ? new InitConfiguration() : in;
    boolean v4 = api == KubeadmApiVersion.V1BETA4;
    Map<String, Object> m = document(api, "InitConfiguration");
    if (c.bootstrapTokens != null) {
      List<Object> tokens = new ArrayList<>();
      for (BootstrapToken t : c.bootstrapTokens) tokens.add(bootstrapToken(t));
      if (!tokens.isEmpty()) m.put("bootstrapTokens", tokens);
    }
    m.put("nodeRegistration", nodeRegistration(c.nodeRegistration, v4));
    m.put("localAPIEndpoint", apiEndpoint(c.localAPIEndpoint));
    putList(m, "skipPhases", c.skipPhases);
    putPatches(m, c.patches);
    if (v4) putTimeouts(m, c.timeouts);
    return GoYaml.marshal(m);
  }

  public static String joinConfiguration(JoinConfiguration in, KubeadmApiVersion api) {
    JoinConfiguration c = in == null ? new JoinConfiguration() : in;
    boolean v4 = api == KubeadmApiVersion.V1BETA4;
    Map<String, Object> m = document(api, "JoinConfiguration");
    m.put("nodeRegistration", nodeRegistration(c.nodeRegistration, v4));
    putString(m, "caCertPath", c.caCertPath);
    m.put("discovery", discovery(c.discovery, v4 ? null : c.timeouts));
    if (c.controlPlane != null) {
      Map<String, Object> cp = new LinkedHashMap<>();
      cp.put("localAPIEndpoint", apiEndpoint(c.controlPlane.localAPIEndpoint));
      m.put("controlPlane", cp);
    }
    putList(m, "skipPhases", c.skipPhases);
    putPatches(m, c.patches);
    if (v4) putTimeouts(m, c.timeouts);
    return GoYaml.marshal(m);
  }

  private static Map<String, Object> document(KubeadmApiVersion api, String kind) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", api.apiVersion());
    m.put("kind", kind);
    return m;
  }

  private static Map<String, Object> localEtcd(LocalEtcd l, boolean v4) {
    Map<String, Object> m = new LinkedHashMap<>();
    putString(m, "imageRepository", l.imageRepository);
    putString(m, "imageTag", l.imageTag);
    m.put("dataDir", l.dataDir == null ? "" : l.dataDir);
    putArgs(m, "extraArgs", l.extraArgs, v4);
    if (v4) putEnvs(m, l.extraEnvs);
    putList(m, "serverCertSANs", l.serverCertSANs);
    putList(m, "peerCertSANs", l.peerCertSANs);
    return m;
  }

  private static Map<String, Object> externalEtcd(ExternalEtcd e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoints", e.endpoints == null ? null : new ArrayList<Object>(e.endpoints));
    m.put("caFile", nullToEmpty(e.caFile));
    m.put("certFile", nullToEmpty(e.certFile));
    m.put("keyFile", nullToEmpty(e.keyFile));
    return m;
  }

  private static Map<String, Object> component(
      List<Arg> extraArgs, List<HostPathMount> extraVolumes, List<EnvVar> extraEnvs, boolean v4) {
    Map<String, Object> m = new LinkedHashMap<>();
    putArgs(m, "extraArgs", extraArgs, v4);
    if (extraVolumes != null && !extraVolumes.isEmpty()) {
      List<Object> volumes = new ArrayList<>();
      for (HostPathMount v : extraVolumes) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("name", nullToEmpty(v.name));
        vm.put("hostPath", nullToEmpty(v.hostPath));
        vm.put("mountPath", nullToEmpty(v.mountPath));
        if (Boolean.TRUE.equals(v.readOnly)) vm.put("readOnly", true);
        putString(vm, "pathType", v.pathType);
        volumes.add(vm);
      }
      m.put("extraVolumes", volumes);
    }
    if (v4) putEnvs(m, extraEnvs);
    return m;
  }

  private static Map<String, Object> nodeRegistration(NodeRegistrationOptions in, boolean v4) {
    NodeRegistrationOptions n = in == null ? new NodeRegistrationOptions() : in;
    Map<String, Object> m = new LinkedHashMap<>();
    putString(m, "name", n.name);
    putString(m, "criSocket", n.criSocket);
    if (n.taints == null) {
      m.put("taints", null);
    } else {
      List<Object> taints = new ArrayList<>();
      for (Taint t : n.taints) taints.add(taint(t));
      m.put("taints", taints);
    }
    putArgs(m, "kubeletExtraArgs", n.kubeletExtraArgs, v4);
    putList(m, "ignorePreflightErrors", n.ignorePreflightErrors);
    putString(m, "imagePullPolicy", n.imagePullPolicy);
    if (v4 && n.imagePullSerial != null) m.put("imagePullSerial", n.imagePullSerial);
    return m;
  }

  private static Map<String, Object> taint(Taint t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", nullToEmpty(t.getKey()));
    putString(m, "value", t.getValue());
    m.put("effect", nullToEmpty(t.getEffect()));
    putString(m, "timeAdded", t.getTimeAdded());
    return m;
  }

  private static Map<String, Object> apiEndpoint(APIEndpoint e) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (e != null) {
      putString(m, "advertiseAddress", e.advertiseAddress);
      if (e.bindPort != null && e.bindPort != 0) m.put("bindPort", e.bindPort);
    }
    return m;
  }

  private static Map<String, Object> bootstrapToken(BootstrapToken t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token", t.token == null || t.token.isEmpty() ? null : t.token);
    putString(m, "description", t.description);
    if (t.ttlSeconds != null) m.put("ttl", GoDuration.ofSeconds(t.ttlSeconds));
    putString(m, "expires", t.expires);
    putList(m, "usages", t.usages);
    putList(m, "groups", t.groups);
    return m;
  }

  private static Map<String, Object> discovery(Discovery in, Timeouts v1beta3Timeouts) {
    Discovery d = in == null ? new Discovery() : in;
    Map<String, Object> m = new LinkedHashMap<>();
    BootstrapTokenDiscovery bt = d.bootstrapToken;
    if (bt != null && (notEmpty(bt.token) || notEmpty(bt.apiServerEndpoint) || bt.caCertHashes != null
        || bt.unsafeSkipCAVerification != null)) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("token", nullToEmpty(bt.token));
      putString(b, "apiServerEndpoint", bt.apiServerEndpoint);
      putList(b, "caCertHashes", bt.caCertHashes);
      if (Boolean.TRUE.equals(bt.unsafeSkipCAVerification)) b.put("unsafeSkipCAVerification", true);
      m.put("bootstrapToken", b);
    }
    FileDiscovery f = d.file;
    if (f != null && (notEmpty(f.kubeConfigPath) || f.kubeConfig != null)) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("kubeConfigPath", nullToEmpty(f.kubeConfigPath)); // the CAPI-only kubeConfig is not kubeadm's
      m.put("file", fm);
    }
    putString(m, "tlsBootstrapToken", d.tlsBootstrapToken);
    if (v1beta3Timeouts != null && v1beta3Timeouts.tlsBootstrapSeconds != null) {
      m.put("timeout", GoDuration.ofSeconds(v1beta3Timeouts.tlsBootstrapSeconds));
    }
    return m;
  }

  private static void putTimeouts(Map<String, Object> m, Timeouts t) {
    if (t == null) return;
    Map<String, Object> tm = new LinkedHashMap<>();
    putDuration(tm, "controlPlaneComponentHealthCheck", t.controlPlaneComponentHealthCheckSeconds);
    putDuration(tm, "kubeletHealthCheck", t.kubeletHealthCheckSeconds);
    putDuration(tm, "kubernetesAPICall", t.kubernetesAPICallSeconds);
    putDuration(tm, "etcdAPICall", t.etcdAPICallSeconds);
    putDuration(tm, "tlsBootstrap", t.tlsBootstrapSeconds);
    putDuration(tm, "discovery", t.discoverySeconds);
    if (!tm.isEmpty()) m.put("timeouts", tm);
  }

  private static void putPatches(Map<String, Object> m, Patches p) {
    if (p == null || !notEmpty(p.directory)) return;
    Map<String, Object> pm = new LinkedHashMap<>();
    pm.put("directory", p.directory);
    m.put("patches", pm);
  }

  /** v1beta3 writes args as a map (a repeated name keeps the last value), v1beta4 as a list of name/value. */
  private static void putArgs(Map<String, Object> m, String key, List<Arg> args, boolean v4) {
    if (args == null || args.isEmpty()) return;
    if (v4) {
      List<Object> list = new ArrayList<>();
      for (Arg a : args) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("name", nullToEmpty(a.name));
        am.put("value", nullToEmpty(a.value));
        list.add(am);
      }
      m.put(key, list);
    } else {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Arg a : args) map.put(nullToEmpty(a.name), nullToEmpty(a.value));
      m.put(key, map);
    }
  }

  @SuppressWarnings("unchecked")
  private static void putEnvs(Map<String, Object> m, List<EnvVar> envs) {
    if (envs == null || envs.isEmpty()) return;
    List<Object> list = new ArrayList<>();
    for (EnvVar e : envs) list.add(Serialization.jsonMapper().convertValue(e, LinkedHashMap.class));
    m.put("extraEnvs", list);
  }

  private static void putDuration(Map<String, Object> m, String key, Integer seconds) {
    if (seconds != null) m.put(key, GoDuration.ofSeconds(seconds));
  }

  private static void putString(Map<String, Object> m, String key, String value) {
    if (notEmpty(value)) m.put(key, value);
  }

  private static void putList(Map<String, Object> m, String key, List<String> values) {
    if (values != null && !values.isEmpty()) m.put(key, new ArrayList<Object>(values));
  }

  private static boolean isDefined(LocalEtcd l) {
    return l != null && (notEmpty(l.imageRepository) || notEmpty(l.imageTag) || notEmpty(l.dataDir)
        || l.extraArgs != null || l.extraEnvs != null || l.serverCertSANs != null || l.peerCertSANs != null);
  }

  private static boolean isDefined(ExternalEtcd e) {
    return e != null && (e.endpoints != null || notEmpty(e.caFile) || notEmpty(e.certFile) || notEmpty(e.keyFile));
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
