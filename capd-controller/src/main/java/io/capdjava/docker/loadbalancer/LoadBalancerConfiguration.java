package io.capdjava.docker.loadbalancer;

import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Contract;
import io.capdjava.docker.Labels;
import io.capdjava.docker.kinds.ClusterSettings;
import io.capdjava.docker.machine.NodeContainer;
import io.capdjava.docker.runtime.ContainerInfo;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keeps a cluster's load balancer pointing at its control-plane nodes: every running control-plane container is a
 * backend, weight 0 while its Machine is being deleted (unless it is the last one), and the configuration is written
 * only when it differs from what the container holds.
 */
public final class LoadBalancerConfiguration {
  private final KubernetesClient client;
  private final ContainerRuntime runtime;

  public LoadBalancerConfiguration(KubernetesClient client, ContainerRuntime runtime) {
    this.client = client;
    this.runtime = runtime;
  }

  /** Brings the load balancer up to date; true when it wrote a new configuration. */
  public boolean reconcile(ClusterSettings settings, String cluster) {
    LoadBalancer lb = new LoadBalancer(runtime, cluster);
    if (lb.find().isEmpty()) {
      throw new IllegalStateException("unable to configure the load balancer: container " + lb.containerName()
          + " does not exist");
    }
    LoadBalancer.Observed observed = lb.observe();
    String desired = HAProxyConfig.render(customTemplate(settings), frontendPort(settings),
        backends(settings.namespace(), cluster), false, observed.openFileLimit());
    if (desired.equals(observed.currentConfig())) return false;
    lb.apply(desired);
    return true;
  }

  Map<String, HAProxyConfig.Backend> backends(String namespace, String cluster) {
    List<Machine> machines = client.resources(Machine.class).inNamespace(namespace)
        .withLabel(Contract.Label.CLUSTER_NAME, cluster).withLabel(Contract.Label.CONTROL_PLANE).list().getItems();
    Set<String> deleting = machines.size() > 1
        ? machines.stream().filter(m -> m.getMetadata().getDeletionTimestamp() != null)
            .map(m -> NodeContainer.name(cluster, m.getMetadata().getName())).collect(Collectors.toSet())
        : Set.of();
    Map<String, HAProxyConfig.Backend> backends = new TreeMap<>();
    for (ContainerInfo c : runtime.list(Map.of(Labels.CLUSTER, cluster, Labels.ROLE, Labels.ROLE_CONTROL_PLANE))) {
      String address = c.ipv4On(Labels.NETWORK);
      if (!c.running() || address.isEmpty()) continue;
      backends.put(c.name(), new HAProxyConfig.Backend(address, deleting.contains(c.name()) ? 0 : 100));
    }
    return backends;
  }

  private String customTemplate(ClusterSettings settings) {
    var lb = settings.loadBalancer();
    if (lb == null || lb.customHAProxyConfigTemplateRef == null || lb.customHAProxyConfigTemplateRef.name == null
        || lb.customHAProxyConfigTemplateRef.name.isEmpty()) {
      return null;
    }
    String name = lb.customHAProxyConfigTemplateRef.name;
    ConfigMap cm = client.configMaps().inNamespace(settings.namespace()).withName(name).get();
    String field = settings.field("loadBalancer.customHAProxyConfigTemplateRef");
    if (cm == null) throw new IllegalStateException(field + ": ConfigMap " + name + " does not exist");
    String value = cm.getData() == null ? null : cm.getData().get("value");
    if (value == null) throw new IllegalStateException(field + ": ConfigMap " + name + " has no key 'value'");
    return value;
  }

  private static int frontendPort(ClusterSettings settings) {
    var ep = settings.controlPlaneEndpoint();
    return ep == null || ep.port == null ? HAProxyConfig.BACKEND_PORT : ep.port;
  }
}
