package io.capdjava.controlplane.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dns.imageRepository} and {@code dns.imageTag} of kubeadm's ClusterConfiguration set to the KCP's, unset ones
 * removed (upstream {@code updateCoreDNSImageInfoInKubeadmConfigMap}): kubeadm reads them on later upgrades and joins.
 */
public record KubeadmDnsImageEdit(String imageRepository, String imageTag) implements ClusterConfigurationEdit {
  @Override
  public String apply(String current) {
    Map<String, Object> doc = KubeadmClusterConfigurationUpdate.parse(current);
    Map<String, Object> before = KubeadmClusterConfigurationUpdate.parse(current);
    @SuppressWarnings("unchecked")
    Map<String, Object> dns = doc.get("dns") instanceof Map<?, ?> m
        ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    put(dns, "imageRepository", imageRepository);
    put(dns, "imageTag", imageTag);
    doc.put("dns", dns);
    if (doc.equals(before)) return current;
    return KubeadmClusterConfigurationUpdate.write(doc);
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (value == null || value.isEmpty()) m.remove(key);
    else m.put(key, value);
  }
}
