package io.capdjava.bootstrap.reconciler;

import io.capdjava.core.CrashPoints;
import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ConfigMap {@code <cluster>-lock} that lets exactly one control plane machine run {@code kubeadm init}
 * (upstream {@code locking.ControlPlaneInitMutex}): created with {@code lock-information: {"machineName": ...}},
 * owned by the Cluster; the API server's create-if-absent decides who wins. A lock whose holder Machine is gone is
 * removed so the next attempt can win.
 */
public final class ControlPlaneInitLock {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneInitLock.class);

  private final KubernetesClient client;

  public ControlPlaneInitLock(KubernetesClient client) {
    this.client = client;
  }

  /** True when {@code machine} holds the lock (already, or now). */
  public boolean lock(Cluster cluster, Machine machine) {
    String ns = cluster.getMetadata().getNamespace();
    String name = Contract.Bootstrap.initLock(cluster.getMetadata().getName());
    ConfigMap existing = client.configMaps().inNamespace(ns).withName(name).get();
    if (existing != null) {
      String holder = holder(existing);
      if (machine.getMetadata().getName().equals(holder)) return true;
      if (holder != null && client.resources(Machine.class).inNamespace(ns).withName(holder).get() == null) {
        LOG.info("Init lock {}/{} is held by Machine {} which no longer exists; releasing it", ns, name, holder);
        unlock(cluster);
      } else {
        LOG.info("Waiting for Machine {} to initialize the control plane of Cluster {}/{}", holder, ns,
            cluster.getMetadata().getName());
      }
      return false;
    }
    ConfigMap lock = new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .addToLabels(Contract.Label.CLUSTER_NAME, cluster.getMetadata().getName())
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(cluster.getApiVersion())
            .withKind(cluster.getKind())
            .withName(cluster.getMetadata().getName())
            .withUid(cluster.getMetadata().getUid())
            .build())
        .endMetadata()
        .withData(Map.of(Contract.Bootstrap.INIT_LOCK_KEY,
            Serialization.asJson(Map.of("machineName", machine.getMetadata().getName()))))
        .build();
    try {
      client.configMaps().inNamespace(ns).resource(lock).create();
      CrashPoints.reach("KubeadmConfig/init-lock-taken");
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        LOG.info("Cannot acquire the init lock of Cluster {}/{}: another machine holds it", ns,
            cluster.getMetadata().getName());
        return false;
      }
      throw e;
    }
  }

  /** Releases the lock; true when it is gone (or never was). */
  public boolean unlock(Cluster cluster) {
    String ns = cluster.getMetadata().getNamespace();
    String name = Contract.Bootstrap.initLock(cluster.getMetadata().getName());
    if (!client.configMaps().inNamespace(ns).withName(name).delete().isEmpty()) {
      CrashPoints.reach("KubeadmConfig/init-lock-released");
    }
    return true;
  }

  private static String holder(ConfigMap lock) {
    String info = lock.getData() == null ? null : lock.getData().get(Contract.Bootstrap.INIT_LOCK_KEY);
    if (info == null) return null;
    try {
      JsonNode node = Serialization.jsonMapper().readTree(info);
      return node.path("machineName").asText(null);
    } catch (Exception e) {
      return null;
    }
  }
}
