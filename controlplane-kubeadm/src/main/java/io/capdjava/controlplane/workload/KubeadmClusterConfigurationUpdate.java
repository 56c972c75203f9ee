package io.capdjava.controlplane.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.capdjava.api.bootstrap.v1beta2.Arg;
import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.HostPathMount;
import io.capdjava.api.bootstrap.v1beta2.LocalEtcd;
import io.capdjava.core.KubernetesVersion;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code ClusterConfiguration} document of {@code kube-system/kubeadm-config} brought in line with a
 * KubeadmControlPlane before a rollout (upstream {@code updateControlPlane} mutators and
 * {@code UpdateClusterConfiguration}), so that Machines joining during the rollout get the new settings:
 * {@code kubernetesVersion} always; when the KCP has a cluster configuration also {@code imageRepository} (when set),
 * {@code featureGates}, {@code apiServer}, {@code controllerManager}, {@code scheduler},
 * {@code certificateValidityPeriod}, {@code encryptionAlgorithm} and {@code etcd} (local, or external). Everything
 * else in the document (networking, endpoint, DNS, ...) is kept. The result is kubeadm's v1beta4 API, which every
 * Kubernetes version KCP supports reads; a v1beta3 document is converted.
 */
public final class KubeadmClusterConfigurationUpdate implements ClusterConfigurationEdit {
  static final String V1BETA3 = "kubeadm.k8s.io/v1beta3";
  static final String V1BETA4 = "kubeadm.k8s.io/v1beta4";
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build();

  private final KubernetesVersion version;
  private final ClusterConfiguration desired;
  private final boolean etcdManaged;

  /**
   * @param version the KCP's {@code spec.version}
   * @param desired the KCP's {@code kubeadmConfigSpec.clusterConfiguration} with the feature gates defaulted as for
   *     its Machines; null when the KCP has none
   * @param etcdManaged stacked etcd (no {@code etcd.external})
   */
  public KubeadmClusterConfigurationUpdate(KubernetesVersion version, ClusterConfiguration desired, boolean etcdManaged) {
    this.version = version;
    this.desired = desired;
    this.etcdManaged = etcdManaged;
  }

  /** The target version as kubeadm writes it, {@code v<major>.<minor>.<patch>[-pre]}. */
  String kubernetesVersion() {
    return "v" + version.major() + "." + version.minor() + "." + version.patch()
        + (version.preRelease().isEmpty() ? "" : "-" + version.preRelease());
  }

  /** The updated document; equal to {@code current} (same text) when nothing changes. */
  @Override
  public String apply(String current) {
    if (version.compareIgnoringPreRelease(1, 31, 0) < 0) {
      throw new IllegalArgumentException("spec.version: updating kubeadm-config for Kubernetes " + kubernetesVersion()
          + " is not supported (kubeadm API v1beta4 needs at least v1.31.0)");
    }
    Map<String, Object> before = parse(current);
    Map<String, Object> doc = parse(current);
    if (V1BETA3.equals(doc.get("apiVersion"))) fromV1beta3(doc);
    doc.put("kubernetesVersion", kubernetesVersion());
    if (desired != null) mutate(doc);
    if (Objects.equals(before, doc)) return current;
    return write(doc);
  }

  static String write(Map<String, Object> doc) {
    try {
      return YAML.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the ClusterConfiguration: " + e.getMessage(), e);
    }
  }

  private void mutate(Map<String, Object> doc) {
    if (notEmpty(desired.imageRepository)) doc.put("imageRepository", desired.imageRepository);
    putOrRemove(doc, "featureGates",
        desired.featureGates == null || desired.featureGates.isEmpty() ? null : new LinkedHashMap<>(desired.featureGates));
    var apiServer = desired.apiServer;
    Map<String, Object> api = component(apiServer == null ? null : apiServer.extraArgs,
        apiServer == null ? null : apiServer.extraVolumes, apiServer == null ? null : apiServer.extraEnvs);
    if (apiServer != null && apiServer.certSANs != null && !apiServer.certSANs.isEmpty()) {
      api.put("certSANs", new ArrayList<>(apiServer.certSANs));
    }
    doc.put("apiServer", api);
    var cm = desired.controllerManager;
    doc.put("controllerManager", component(cm == null ? null : cm.extraArgs, cm == null ? null : cm.extraVolumes,
        cm == null ? null : cm.extraEnvs));
    var scheduler = desired.scheduler;
    doc.put("scheduler", component(scheduler == null ? null : scheduler.extraArgs,
        scheduler == null ? null : scheduler.extraVolumes, scheduler == null ? null : scheduler.extraEnvs));
    Integer days = desired.certificateValidityPeriodDays;
    putOrRemove(doc, "certificateValidityPeriod", days == null || days == 0 ? null : (days * 24L) + "h0m0s");
    putOrRemove(doc, "encryptionAlgorithm", notEmpty(desired.encryptionAlgorithm) ? desired.encryptionAlgorithm : null);
    doc.put("etcd", etcd());
  }

  /** Local and external etcd are exclusive and never switched: only the kind the KCP uses is written. */
  private Map<String, Object> etcd() {
    Map<String, Object> etcd = new LinkedHashMap<>();
    var e = desired.etcd;
    if (etcdManaged) {
      LocalEtcd l = e == null ? null : e.local;
      if (l != null && definedLocal(l)) {
        Map<String, Object> local = new LinkedHashMap<>();
        if (notEmpty(l.imageRepository)) local.put("imageRepository", l.imageRepository);
        if (notEmpty(l.imageTag)) local.put("imageTag", l.imageTag);
        local.put("dataDir", l.dataDir == null ? "" : l.dataDir);
        putArgs(local, l.extraArgs);
        putEnvs(local, l.extraEnvs);
        if (l.serverCertSANs != null && !l.serverCertSANs.isEmpty()) local.put("serverCertSANs", l.serverCertSANs);
        if (l.peerCertSANs != null && !l.peerCertSANs.isEmpty()) local.put("peerCertSANs", l.peerCertSANs);
        etcd.put("local", local);
      }
    } else if (e != null && e.external != null) {
      Map<String, Object> external = new LinkedHashMap<>();
      external.put("endpoints", e.external.endpoints == null ? null : new ArrayList<Object>(e.external.endpoints));
      external.put("caFile", e.external.caFile == null ? "" : e.external.caFile);
      external.put("certFile", e.external.certFile == null ? "" : e.external.certFile);
      external.put("keyFile", e.external.keyFile == null ? "" : e.external.keyFile);
      etcd.put("external", external);
    }
    return etcd;
  }

  private static boolean definedLocal(LocalEtcd l) {
    return notEmpty(l.imageRepository) || notEmpty(l.imageTag) || notEmpty(l.dataDir)
        || (l.extraArgs != null && !l.extraArgs.isEmpty()) || (l.extraEnvs != null && !l.extraEnvs.isEmpty())
        || (l.serverCertSANs != null && !l.serverCertSANs.isEmpty())
        || (l.peerCertSANs != null && !l.peerCertSANs.isEmpty());
  }

  private static Map<String, Object> component(List<Arg> args, List<HostPathMount> volumes, List<EnvVar> envs) {
    Map<String, Object> m = new LinkedHashMap<>();
    putArgs(m, args);
    if (volumes != null && !volumes.isEmpty()) {
      List<Object> list = new ArrayList<>();
      for (HostPathMount v : volumes) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("name", v.name == null ? "" : v.name);
        vm.put("hostPath", v.hostPath == null ? "" : v.hostPath);
        vm.put("mountPath", v.mountPath == null ? "" : v.mountPath);
        if (Boolean.TRUE.equals(v.readOnly)) vm.put("readOnly", true);
        if (notEmpty(v.pathType)) vm.put("pathType", v.pathType);
        list.add(vm);
      }
      m.put("extraVolumes", list);
    }
    putEnvs(m, envs);
    return m;
  }

  private static void putArgs(Map<String, Object> m, List<Arg> args) {
    if (args == null || args.isEmpty()) return;
    List<Object> list = new ArrayList<>();
    for (Arg a : args) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("name", a.name == null ? "" : a.name);
      am.put("value", a.value == null ? "" : a.value);
      list.add(am);
    }
    m.put("extraArgs", list);
  }

  @SuppressWarnings("unchecked")
  private static void putEnvs(Map<String, Object> m, List<EnvVar> envs) {
    if (envs == null || envs.isEmpty()) return;
    List<Object> list = new ArrayList<>();
    for (EnvVar e : envs) list.add(Serialization.jsonMapper().convertValue(e, LinkedHashMap.class));
    m.put("extraEnvs", list);
  }

  /** v1beta3 wrote component arguments as a map and had the API server's timeout; v1beta4 has neither. */
  @SuppressWarnings("unchecked")
  private static void fromV1beta3(Map<String, Object> doc) {
    doc.put("apiVersion", V1BETA4);
    for (String key : List.of("apiServer", "controllerManager", "scheduler")) {
      if (doc.get(key) instanceof Map<?, ?> c) argsToList((Map<String, Object>) c);
    }
    if (doc.get("apiServer") instanceof Map<?, ?> api) api.remove("timeoutForControlPlane");
    if (doc.get("etcd") instanceof Map<?, ?> etcd && etcd.get("local") instanceof Map<?, ?> local) {
      argsToList((Map<String, Object>) local);
    }
  }

  private static void argsToList(Map<String, Object> component) {
    if (!(component.get("extraArgs") instanceof Map<?, ?> args)) return;
    List<Object> list = new ArrayList<>();
    args.forEach((k, v) -> {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("name", String.valueOf(k));
      am.put("value", v == null ? "" : String.valueOf(v));
      list.add(am);
    });
    component.put("extraArgs", list);
  }

  private static void putOrRemove(Map<String, Object> m, String key, Object value) {
    if (value == null) m.remove(key);
    else m.put(key, value);
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  static Map<String, Object> parse(String yaml) {
    try {
      Map<String, Object> doc = YAML.readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() {});
      if (doc == null) throw new IllegalArgumentException("the ClusterConfiguration in kubeadm-config is empty");
      return doc;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read the ClusterConfiguration in kubeadm-config: "
          + e.getOriginalMessage(), e);
    }
  }
}
