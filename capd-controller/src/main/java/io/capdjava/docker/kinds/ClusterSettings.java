package io.capdjava.docker.kinds;

import io.capdjava.api.core.v1beta2.APIEndpoint;
import io.capdjava.api.core.v1beta2.FailureDomain;
import io.capdjava.api.infrastructure.v1beta2.DevCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerCluster;
import io.capdjava.api.infrastructure.v1beta2.DockerLoadBalancer;
import java.util.List;

/**
 * What the docker backend reads of a cluster's infrastructure object, whichever kind carries it: a DockerCluster's
 * spec, or a DevCluster's endpoint and {@code spec.backend.docker}.
 *
 * @param fieldPrefix where the backend settings sit in the object ({@code spec.} or {@code spec.backend.docker.}), so
 *     that messages name the field the user wrote
 */
public record ClusterSettings(String namespace, APIEndpoint controlPlaneEndpoint, List<FailureDomain> failureDomains,
    DockerLoadBalancer loadBalancer, String fieldPrefix) {
  public static ClusterSettings of(DockerCluster dockerCluster) {
    var spec = dockerCluster.getSpec();
    return new ClusterSettings(dockerCluster.getMetadata().getNamespace(),
        spec == null ? null : spec.controlPlaneEndpoint, spec == null ? null : spec.failureDomains,
        spec == null ? null : spec.loadBalancer, "spec.");
  }

  /**
   * The settings of a DevCluster's docker backend; null when it asks for the in-memory one. As upstream, docker is the
   * backend unless {@code spec.backend.inMemory} is set: a DevCluster without a backend (upstream's e2e kcp-remediation
   * template has no spec at all) is a docker one with defaults.
   */
  public static ClusterSettings of(DevCluster devCluster) {
    var spec = devCluster.getSpec();
    if (spec != null && spec.backend != null && spec.backend.inMemory != null) return null;
    var docker = spec == null || spec.backend == null ? null : spec.backend.docker;
    return new ClusterSettings(devCluster.getMetadata().getNamespace(), spec == null ? null : spec.controlPlaneEndpoint,
        docker == null ? null : docker.failureDomains, docker == null ? null : docker.loadBalancer,
        "spec.backend.docker.");
  }

  public String field(String name) {
    return fieldPrefix + name;
  }

  public ClusterSettings withControlPlaneEndpoint(APIEndpoint endpoint) {
    return new ClusterSettings(namespace, endpoint, failureDomains, loadBalancer, fieldPrefix);
  }
}
