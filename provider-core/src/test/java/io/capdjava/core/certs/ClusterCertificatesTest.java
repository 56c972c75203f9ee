package io.capdjava.core.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.ClusterConfiguration;
import io.capdjava.api.bootstrap.v1beta2.Etcd;
import io.capdjava.api.bootstrap.v1beta2.ExternalEtcd;
import io.capdjava.api.bootstrap.v1beta2.File;
import io.capdjava.core.ClusterSecrets;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cluster certificate secrets on the real API server: what gets stored, reused, raced for, and written to nodes. */
@ExtendWith(ManagementPlaneExtension.class)
class ClusterCertificatesTest {
  @Test
  void generatesTheFourSecretsAsUpstreamAndReusesThem(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    ConfigMap owner = owner(client, ns, "owner-a");

    ClusterCertificates first = ClusterCertificates.forInitialControlPlane(null).lookupOrGenerate(client, ns, "c1", owner);
    first.ensureAllExist();
    for (String suffix : List.of("ca", "etcd", "proxy", "sa")) {
      Secret s = client.secrets().inNamespace(ns).withName("c1-" + suffix).get();
      assertEquals("cluster.x-k8s.io/secret", s.getType(), suffix);
      assertEquals("c1", s.getMetadata().getLabels().get("cluster.x-k8s.io/cluster-name"), suffix);
      assertEquals(Set.of("tls.crt", "tls.key"), s.getData().keySet(), suffix);
      var ref = s.getMetadata().getOwnerReferences();
      assertEquals(1, ref.size());
      assertEquals(owner.getMetadata().getUid(), ref.get(0).getUid());
      assertEquals(Boolean.TRUE, ref.get(0).getController());
    }
    String caPem = new String(ClusterSecrets.data(client.secrets().inNamespace(ns).withName("c1-ca").get(), "tls.crt")
        .orElseThrow(), StandardCharsets.US_ASCII);
    assertEquals("CN=kubernetes", CertificateIssuerTest.jdkParse(caPem).getSubjectX500Principal().getName());
    assertTrue(new String(ClusterSecrets.data(client.secrets().inNamespace(ns).withName("c1-sa").get(), "tls.crt")
        .orElseThrow(), StandardCharsets.US_ASCII).startsWith("-----BEGIN PUBLIC KEY-----"));

    ClusterCertificates again = ClusterCertificates.forInitialControlPlane(null)
        .lookupOrGenerate(client, ns, "c1", owner(client, ns, "owner-b"));
    assertEquals(caPem, again.get(CertificatePurpose.CLUSTER_CA).orElseThrow().keyPair().cert(), "existing CA reused");
    assertTrue(again.all().stream().noneMatch(ClusterCertificate::generated));
    assertEquals(first.get(CertificatePurpose.CLUSTER_CA).orElseThrow().hashes(),
        again.get(CertificatePurpose.CLUSTER_CA).orElseThrow().hashes());

    ClusterCertificates join = ClusterCertificates.forControlPlaneJoin(null).lookup(client, ns, "c1").ensureAllExist();
    assertEquals(caPem, join.get(CertificatePurpose.CLUSTER_CA).orElseThrow().keyPair().cert());
    ClusterCertificates worker = ClusterCertificates.forWorker(null).lookup(client, ns, "c1").ensureAllExist();
    assertEquals(List.of("/etc/kubernetes/pki/ca.crt"), worker.asFiles().stream().map(f -> f.path).toList(),
        "a worker gets the CA certificate only, never a key");
  }

  @Test
  void controllersRacingForTheSameClusterEndUpWithOneCa(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    ConfigMap owner = owner(client, ns, "owner-race");
    int racers = 4;
    CyclicBarrier start = new CyclicBarrier(racers);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<ClusterCertificates>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Callable<ClusterCertificates> racer = () -> {
          start.await();
          return ClusterCertificates.forInitialControlPlane(null).lookupOrGenerate(client, ns, "race", owner);
        };
        results.add(pool.submit(racer));
      }
      Set<String> cas = new java.util.HashSet<>();
      Set<String> saKeys = new java.util.HashSet<>();
      for (Future<ClusterCertificates> r : results) {
        ClusterCertificates c = r.get().ensureAllExist();
        cas.add(c.get(CertificatePurpose.CLUSTER_CA).orElseThrow().keyPair().key());
        saKeys.add(c.get(CertificatePurpose.SERVICE_ACCOUNT).orElseThrow().keyPair().key());
      }
      String stored = new String(ClusterSecrets.data(client.secrets().inNamespace(ns).withName("race-ca").get(), "tls.key")
          .orElseThrow(), StandardCharsets.US_ASCII);
      assertEquals(Set.of(stored), cas, "every racer uses the CA that was stored");
      assertEquals(1, saKeys.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void filesGoUnderPkiInUpstreamsOrderWithUpstreamsModes(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    ClusterCertificates certs = ClusterCertificates.forInitialControlPlane(null)
        .lookupOrGenerate(client, ns, "files", owner(client, ns, "owner-files"));
    List<File> files = certs.asFiles();
    assertEquals(List.of(
            "/etc/kubernetes/pki/ca.crt 0640", "/etc/kubernetes/pki/ca.key 0600",
            "/etc/kubernetes/pki/etcd/ca.crt 0640", "/etc/kubernetes/pki/etcd/ca.key 0600",
            "/etc/kubernetes/pki/front-proxy-ca.crt 0640", "/etc/kubernetes/pki/front-proxy-ca.key 0600",
            "/etc/kubernetes/pki/sa.pub 0640", "/etc/kubernetes/pki/sa.key 0600"),
        files.stream().map(f -> f.path + " " + f.permissions).toList());
    assertTrue(files.stream().allMatch(f -> "root:root".equals(f.owner)));

    ClusterConfiguration custom = new ClusterConfiguration();
    custom.certificatesDir = "/srv/pki";
    ClusterCertificates join = ClusterCertificates.forControlPlaneJoin(custom).lookup(client, ns, "files");
    assertEquals("/srv/pki/etcd/ca.key", join.asFiles().get(3).path);
  }

  @Test
  void externalEtcdCertificatesAreNeverGeneratedAndMustExist(ManagementPlane plane) {
    KubernetesClient client = plane.client();
    String ns = plane.namespace();
    ClusterConfiguration config = new ClusterConfiguration();
    config.etcd = new Etcd();
    config.etcd.external = new ExternalEtcd();
    config.etcd.external.endpoints = List.of("https://10.0.0.1:2379");
    config.etcd.external.caFile = "/etc/etcd/ca.crt";
    config.etcd.external.certFile = "/etc/etcd/client.crt";
    config.etcd.external.keyFile = "/etc/etcd/client.key";
    var e = assertThrows(ClusterCertificateException.class, () -> ClusterCertificates.forInitialControlPlane(config)
        .lookupOrGenerate(client, ns, "ext", owner(client, ns, "owner-ext")));
    assertTrue(e.getMessage().contains("ext-apiserver-etcd-client"), e.getMessage());
    assertNull(client.secrets().inNamespace(ns).withName("ext-etcd").get(), "no etcd CA generated for external etcd");
  }

  @Test
  void aMissingCertificateIsNamed(ManagementPlane plane) {
    var e = assertThrows(ClusterCertificateException.class,
        () -> ClusterCertificates.forWorker(null).lookup(plane.client(), plane.namespace(), "absent").ensureAllExist());
    assertEquals("missing certificate: ca", e.getMessage());
  }

  private static ConfigMap owner(KubernetesClient client, String ns, String name) {
    return client.configMaps().inNamespace(ns)
        .resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }
}
