package io.capdjava.bootstrap.reconciler;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.api.bootstrap.v1beta2.JoinConfiguration;
import io.capdjava.api.bootstrap.v1beta2.JoinControlPlane;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.bootstrap.v1beta2.NodeRegistrationOptions;
import io.capdjava.api.bootstrap.v1beta2.User;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.bootstrap.cloudinit.CloudInitInput;
import io.capdjava.bootstrap.cloudinit.CloudInitScript;
import io.capdjava.bootstrap.kubeadm.ClusterFacts;
import io.capdjava.bootstrap.kubeadm.KubeadmApiVersion;
import io.capdjava.bootstrap.kubeadm.KubeadmYaml;
import io.capdjava.core.KubernetesVersion;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.core.Contract;
import io.capdjava.core.certs.ClusterCertificateException;
import io.capdjava.core.certs.ClusterCertificates;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a validated KubeadmConfig into cloud-init for one of the three cases (upstream
 * {@code handleClusterNotInitialized}, {@code joinControlplane}, {@code joinWorker}). Inputs from other objects are
 * resolved before anything is created, so a missing secret leaves nothing behind; values upstream writes back into
 * the spec (endpoint, token, CA hashes, {@code controlPlane: {}}) are collected in {@code specChanges}.
 */
final class BootstrapDataGeneration {
  /** What one generation produced. */
  record Result(String data, Map<String, Object> specChanges) {}

  private final KubernetesClient client;
  private final SpecSources sources;
  private final JoinDiscovery discovery;

  BootstrapDataGeneration(KubernetesClient client, JoinDiscovery discovery) {
    this.client = client;
    this.sources = new SpecSources(client);
    this.discovery = discovery;
  }

  /** The first control plane machine's {@code kubeadm init} data. */
  Result init(KubeadmConfig config, ConfigOwner owner, Cluster cluster, StatusRecorder status) {
    KubeadmConfigSpec spec = config.getSpec();
    KubernetesVersion version = KubernetesVersion.parse(owner.kubernetesVersion());
    KubeadmApiVersion api = KubeadmApiVersion.forKubernetes(version);
    List<File> files = sources.files(config, controlPlaneVersion(cluster));
    List<User> users = sources.users(config);

    Map<String, Object> specChanges = new LinkedHashMap<>();
    ClusterConfiguration cc = spec.clusterConfiguration == null ? new ClusterConfiguration()
        : Serialization.clone(spec.clusterConfiguration);
    if ((cc.controlPlaneEndpoint == null || cc.controlPlaneEndpoint.isEmpty())
        && cluster.getSpec().controlPlaneEndpoint != null && cluster.getSpec().controlPlaneEndpoint.isValid()) {
      cc.controlPlaneEndpoint = JoinDiscovery.hostPort(cluster);
      specChanges.put("clusterConfiguration", Map.of("controlPlaneEndpoint", cc.controlPlaneEndpoint));
    }
    String clusterYaml = KubeadmYaml.clusterConfiguration(cc, api, facts(cluster, owner, spec));
    String initYaml = KubeadmYaml.initConfiguration(spec.initConfiguration, api);

    ClusterCertificates certs = ClusterCertificates.forInitialControlPlane(cc);
    try {
      boolean standalone = cluster.getSpec().controlPlaneRef == null || !cluster.getSpec().controlPlaneRef.isDefined();
      if (standalone) {
        // no control plane provider generates them: the KubeadmConfig of the first machine does, and owns them
        certs.lookupOrGenerate(client, cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
            ClusterSecrets.controllerReference(config));
      } else {
        certs.lookup(client, cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
      }
      certs.ensureAllExist();
    } catch (ClusterCertificateException e) {
      throw new MissingInputException(Contract.Bootstrap.CERTIFICATES_AVAILABLE, certificateMessage(cluster, e));
    }
    status.certificatesAvailable();

    String data = CloudInitScript.initControlPlane(input(spec, certs.asFiles(), files, users), clusterYaml, initYaml);
    return new Result(data, specChanges);
  }

  /** A control plane machine joining: the cluster certificates and a control plane JoinConfiguration. */
  Result joinControlPlane(KubeadmConfig config, ConfigOwner owner, Cluster cluster, StatusRecorder status) {
    KubeadmConfigSpec spec = config.getSpec();
    KubeadmApiVersion api = KubeadmApiVersion.forKubernetes(KubernetesVersion.parse(owner.kubernetesVersion()));
    List<File> files = sources.files(config, controlPlaneVersion(cluster));
    List<User> users = sources.users(config);
    Map<String, Object> specChanges = new LinkedHashMap<>();
    JoinConfiguration join = spec.joinConfiguration == null ? new JoinConfiguration() : spec.joinConfiguration;
    if (join.controlPlane == null) {
      join.controlPlane = new JoinControlPlane();
      joinChanges(specChanges).put("controlPlane", Map.of());
    }
    ClusterCertificates certs = lookup(ClusterCertificates.forControlPlaneJoin(spec.clusterConfiguration), cluster);
    status.certificatesAvailable();
    if (!discovery.complete(join, cluster, certs, specChanges, config.getMetadata().getUid())) return null;
    files.addAll(discoveryFile(join));
    String joinYaml = KubeadmYaml.joinConfiguration(join, api);
    String data = CloudInitScript.joinControlPlane(input(spec, certs.asFiles(), files, users), joinYaml);
    return new Result(data, specChanges);
  }

  /** A worker joining: no certificates, and the uninitialized taint added (not persisted). */
  Result joinWorker(KubeadmConfig config, ConfigOwner owner, Cluster cluster, StatusRecorder status) {
    KubeadmConfigSpec spec = config.getSpec();
    KubeadmApiVersion api = KubeadmApiVersion.forKubernetes(KubernetesVersion.parse(owner.kubernetesVersion()));
    List<File> files = sources.files(config, controlPlaneVersion(cluster));
    List<User> users = sources.users(config);
    Map<String, Object> specChanges = new LinkedHashMap<>();
    JoinConfiguration join = spec.joinConfiguration == null ? new JoinConfiguration() : spec.joinConfiguration;
    ClusterCertificates certs = lookup(ClusterCertificates.forWorker(join.caCertPath), cluster);
    status.certificatesAvailable();
    if (!discovery.complete(join, cluster, certs, specChanges, config.getMetadata().getUid())) return null;
    files.addAll(discoveryFile(join));

    JoinConfiguration rendered = Serialization.clone(join);
    if (rendered.nodeRegistration == null) rendered.nodeRegistration = new NodeRegistrationOptions();
    List<Taint> taints = rendered.nodeRegistration.taints == null
        ? new ArrayList<>() : new ArrayList<>(rendered.nodeRegistration.taints);
    if (taints.stream().noneMatch(t -> Contract.Bootstrap.NODE_UNINITIALIZED_TAINT.equals(t.getKey())
        && "NoSchedule".equals(t.getEffect()))) {
      taints.add(new TaintBuilder().withKey(Contract.Bootstrap.NODE_UNINITIALIZED_TAINT).withEffect("NoSchedule").build());
    }
    rendered.nodeRegistration.taints = taints;
    String joinYaml = KubeadmYaml.joinConfiguration(rendered, api);
    String data = CloudInitScript.joinNode(input(spec, List.of(), files, users), joinYaml);
    return new Result(data, specChanges);
  }

  private ClusterCertificates lookup(ClusterCertificates certs, Cluster cluster) {
    try {
      return certs.lookup(client, cluster.getMetadata().getNamespace(), cluster.getMetadata().getName()).ensureAllExist();
    } catch (ClusterCertificateException e) {
      throw new MissingInputException(Contract.Bootstrap.CERTIFICATES_AVAILABLE, certificateMessage(cluster, e));
    }
  }

  private static String certificateMessage(Cluster cluster, ClusterCertificateException e) {
    return "cluster certificates of Cluster " + cluster.getMetadata().getName() + ": " + e.getMessage();
  }

  private static List<File> discoveryFile(JoinConfiguration join) {
    if (join.discovery == null || join.discovery.file == null || join.discovery.file.kubeConfig == null) return List.of();
    return List.of(DiscoveryKubeconfigFile.of(join.discovery.file));
  }

  private static CloudInitInput input(KubeadmConfigSpec spec, List<File> certificateFiles, List<File> files, List<User> users) {
    boolean ntpDefined = spec.ntp != null && ((spec.ntp.servers != null && !spec.ntp.servers.isEmpty()) || spec.ntp.enabled != null);
    boolean disksDefined = spec.diskSetup != null && ((spec.diskSetup.partitions != null && !spec.diskSetup.partitions.isEmpty())
        || (spec.diskSetup.filesystems != null && !spec.diskSetup.filesystems.isEmpty()));
    return new CloudInitInput(certificateFiles, files, spec.bootCommands, spec.preKubeadmCommands,
        spec.postKubeadmCommands, users, ntpDefined ? spec.ntp : null, disksDefined ? spec.diskSetup : null,
        spec.mounts, spec.verbosity == null ? "" : "--v " + spec.verbosity);
  }

  private static ClusterFacts facts(Cluster cluster, ConfigOwner owner, KubeadmConfigSpec spec) {
    var network = cluster.getSpec().clusterNetwork;
    String dnsDomain = network == null || network.serviceDomain == null || network.serviceDomain.isEmpty()
        ? null : network.serviceDomain;
    String services = network == null || network.services == null || network.services.cidrBlocks == null
        || network.services.cidrBlocks.isEmpty() ? null : String.join(",", network.services.cidrBlocks);
    String pods = network == null || network.pods == null || network.pods.cidrBlocks == null
        || network.pods.cidrBlocks.isEmpty() ? null : String.join(",", network.pods.cidrBlocks);
    String version = owner.kubernetesVersion() == null || owner.kubernetesVersion().isEmpty() ? null : owner.kubernetesVersion();
    Integer healthCheck = spec.initConfiguration == null || spec.initConfiguration.timeouts == null
        ? null : spec.initConfiguration.timeouts.controlPlaneComponentHealthCheckSeconds;
    return new ClusterFacts(version, cluster.getMetadata().getName(), dnsDomain, services, pods, healthCheck);
  }

  /** The control plane's {@code spec.version} for file templates, read only when a template asks for it. */
  private Supplier<String> controlPlaneVersion(Cluster cluster) {
    return () -> {
      var ref = cluster.getSpec().controlPlaneRef;
      if (ref == null || !ref.isDefined()) return null;
      var group = client.getApiGroup(ref.apiGroup);
      if (group == null || group.getPreferredVersion() == null) return null;
      var cp = client.genericKubernetesResources(group.getPreferredVersion().getGroupVersion(), ref.kind)
          .inNamespace(cluster.getMetadata().getNamespace()).withName(ref.name).get();
      if (cp == null) {
        throw new MissingInputException(Contract.Bootstrap.DATA_SECRET_AVAILABLE,
            "spec.files: cannot render templates: " + ref.kind + " " + ref.name + " not found");
      }
      Object v = cp.getAdditionalProperties().get("spec") instanceof Map<?, ?> s ? s.get("version") : null;
      if (v == null) return null;
      // normalised like upstream: "1.35" becomes "v1.35.0"
      KubernetesVersion parsed = KubernetesVersion.parse(v.toString());
      return "v" + parsed.major() + "." + parsed.minor() + "." + parsed.patch() + parsed.suffix();
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> joinChanges(Map<String, Object> specChanges) {
    return (Map<String, Object>) specChanges.computeIfAbsent("joinConfiguration", k -> new LinkedHashMap<>());
  }
}
