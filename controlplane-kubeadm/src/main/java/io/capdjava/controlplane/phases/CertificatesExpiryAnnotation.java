package io.capdjava.controlplane.phases;

import io.capdjava.api.bootstrap.v1beta2.APIEndpoint;
import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.controlplane.machines.MachineFacts;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records when each control plane Machine's certificates expire (upstream {@code reconcileCertificateExpiries}): the
 * NotAfter of its API server's serving certificate goes, once, into the {@code certificates-expiry} annotation of its
 * KubeadmConfig. CAPI core copies it to {@code Machine.status.certificatesExpiryDate}, which
 * {@code rollout.before.certificatesExpiryDays} compares against. Runs when nothing else is left to do, as upstream,
 * because it needs every control plane Machine reachable.
 */
public final class CertificatesExpiryAnnotation {
  private static final Logger LOG = LoggerFactory.getLogger(CertificatesExpiryAnnotation.class);
  private static final int DEFAULT_BIND_PORT = 6443;

  private final KubernetesClient client;

  public CertificatesExpiryAnnotation(KubernetesClient client) {
    this.client = client;
  }

  public void reconcile(ControlPlaneScope scope) {
    for (Machine machine : scope.machines()) {
      if (MachineFacts.isDeleting(machine) || MachineFacts.nodeName(machine).isEmpty()) continue;
      KubeadmConfig config = scope.kubeadmConfig(MachineFacts.name(machine)).orElse(null);
      if (config == null || annotated(config)) continue;
      String node = MachineFacts.nodeName(machine).get();
      Instant expiry = scope.workload().apiServerCertificateExpiry(node, bindPort(config));
      // Go's time.RFC3339 of a UTC time: whole seconds, "Z"
      String value = expiry.truncatedTo(ChronoUnit.SECONDS).toString();
      annotate(config, value);
      LOG.info("{}/{}: certificates of Machine {} expire at {}", scope.namespace(), scope.kcp().getMetadata().getName(),
          MachineFacts.name(machine), value);
    }
  }

  private static boolean annotated(KubeadmConfig config) {
    Map<String, String> annotations = config.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(Contract.Annotation.CERTIFICATES_EXPIRY);
  }

  /** The port the node's API server binds: localAPIEndpoint of the init or join configuration, else 6443. */
  private static int bindPort(KubeadmConfig config) {
    var spec = config.getSpec();
    APIEndpoint endpoint = null;
    if (spec != null && spec.initConfiguration != null) endpoint = spec.initConfiguration.localAPIEndpoint;
    if (endpoint == null && spec != null && spec.joinConfiguration != null
        && spec.joinConfiguration.controlPlane != null) {
      endpoint = spec.joinConfiguration.controlPlane.localAPIEndpoint;
    }
    return endpoint == null || endpoint.bindPort == null || endpoint.bindPort == 0
        ? DEFAULT_BIND_PORT : endpoint.bindPort;
  }

  private void annotate(KubeadmConfig config, String value) {
    var body = Serialization.jsonMapper().createObjectNode();
    body.putObject("metadata").putObject("annotations").put(Contract.Annotation.CERTIFICATES_EXPIRY, value);
    client.resources(KubeadmConfig.class).inNamespace(config.getMetadata().getNamespace())
        .withName(config.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), body.toString());
  }
}
