package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** kubeadm-config's DNS image settings after a CoreDNS update (upstream {@code updateCoreDNSImageInfoInKubeadmConfigMap}). */
class KubeadmDnsImageEditTest {
  @Test
  void setsTheTagAndKeepsTheRest() throws Exception {
    String edited = new KubeadmDnsImageEdit("", "v1.13.1")
        .apply(KubeadmClusterConfigurationUpdateTest.WRITTEN_BY_KUBEADM);
    Map<String, Object> doc = KubeadmClusterConfigurationUpdateTest.parse(edited);
    assertEquals(Map.of("imageTag", "v1.13.1"), doc.get("dns"));
    Map<String, Object> before = KubeadmClusterConfigurationUpdateTest.parse(KubeadmClusterConfigurationUpdateTest.WRITTEN_BY_KUBEADM);
    doc.remove("dns");
    before.remove("dns");
    assertEquals(before, doc);
  }

  @Test
  void unsetSettingsAreRemovedAndAnUnchangedDocumentIsReturnedAsItIs() throws Exception {
    String tagged = new KubeadmDnsImageEdit("dns.example", "v1.13.1")
        .apply(KubeadmClusterConfigurationUpdateTest.WRITTEN_BY_KUBEADM);
    assertSame(tagged, new KubeadmDnsImageEdit("dns.example", "v1.13.1").apply(tagged));
    assertEquals(KubeadmClusterConfigurationUpdateTest.parse(KubeadmClusterConfigurationUpdateTest.WRITTEN_BY_KUBEADM)
        .get("dns"), KubeadmClusterConfigurationUpdateTest.parse(new KubeadmDnsImageEdit("", "").apply(tagged)).get("dns"));
  }
}
