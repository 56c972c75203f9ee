package io.capdjava.bootstrap.reconciler;

import static io.capdjava.bootstrap.reconciler.ClusterFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfig;
import io.capdjava.bootstrap.BootstrapProviderMain;
import io.capdjava.core.manager.ManagerOptions;
import io.capdjava.core.manager.ProviderManager;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A join token is never orphaned by a failure between creating it in the workload cluster and recording it in the
 * KubeadmConfig (a provider killed there, or the write refused): the next attempt finds the config's own token and
 * uses it, so the workload cluster ends up with exactly the one token the config names. The failure is injected by
 * an admission policy that refuses to record the token until the test lifts it.
 */
@ExtendWith(ManagementPlaneExtension.class)
class JoinTokenCrashTest {
  private static final String REFUSE_LABEL = "test.capd-java.io/refuse-token-record";

  @Test
  void aTokenWhoseRecordingFailedIsReusedNotOrphaned(ManagementPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    String policy = "capd-java-test-refuse-token-" + plane.namespace().hashCode();
    ClusterFixtures fx = new ClusterFixtures(client, plane.namespace());
    fx.initializedCluster("crash", plane.kubeconfig());
    Set<String> tokensBefore = tokenSecrets(client);
    List<HasMetadata> refusal = refusal(policy, plane.namespace());
    for (HasMetadata o : refusal) client.resource(o).create();
    ProviderManager operator = null;
    try {
      Thread.sleep(2000); // the API server picks the policy up
      KubeadmConfig config = fx.config("crash-md-0", "crash", "  joinConfiguration:\n    nodeRegistration:\n"
          + "      criSocket: unix:///var/run/containerd/containerd.sock\n");
      client.resources(KubeadmConfig.class).inNamespace(plane.namespace()).withName("crash-md-0").patch(
          PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + REFUSE_LABEL + "\":\"yes\"}}}");
      fx.machine("crash-md-0", "crash", false, "v1.34.1", config);
      operator = BootstrapProviderMain.start(client, ManagerOptions.embedded(plane.namespace(), 10),
          Duration.ofMinutes(15));
      // attempts create a token and fail to record it, again and again (retried with backoff)
      Thread.sleep(12_000);
      client.resources(KubeadmConfig.class).inNamespace(plane.namespace()).withName("crash-md-0").patch(
          PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"" + REFUSE_LABEL + "\":null}}}");

      KubeadmConfig done = await("the worker's bootstrap data once the token can be recorded", Duration.ofSeconds(90),
          () -> {
            KubeadmConfig c = fx.get("crash-md-0");
            return c.getStatus() != null && "crash-md-0".equals(c.getStatus().dataSecretName) ? c : null;
          });
      String token = done.getSpec().joinConfiguration.discovery.bootstrapToken.token;
      Set<String> created = new TreeSet<>(tokenSecrets(client));
      created.removeAll(tokensBefore);
      assertEquals(Set.of("bootstrap-token-" + token.substring(0, 6)), created,
          "the only token created is the one the KubeadmConfig names");
    } finally {
      if (operator != null) operator.close();
      for (HasMetadata o : refusal) client.resource(o).delete();
    }
  }

  private static Set<String> tokenSecrets(KubernetesClient client) {
    return client.secrets().inNamespace("kube-system").list().getItems().stream()
        .filter(s -> "bootstrap.kubernetes.io/token".equals(s.getType())).map(s -> s.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  /** Refuses, in {@code namespace}, to record a join token in a KubeadmConfig labelled {@value #REFUSE_LABEL}. */
  private static List<HasMetadata> refusal(String name, String namespace) {
    return List.of(Serialization.unmarshal("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %1$s}
        spec:
          failurePolicy: Fail
          matchConstraints:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %2$s}
            resourceRules:
            - apiGroups: [bootstrap.cluster.x-k8s.io]
              apiVersions: ["*"]
              operations: [UPDATE]
              resources: [kubeadmconfigs]
          validations:
          - expression: >-
              !(has(object.metadata.labels) && '%3$s' in object.metadata.labels)
              || !(has(object.spec.joinConfiguration) && has(object.spec.joinConfiguration.discovery)
              && has(object.spec.joinConfiguration.discovery.bootstrapToken)
              && has(object.spec.joinConfiguration.discovery.bootstrapToken.token))
            message: the test refuses to record the join token
        """.formatted(name, namespace, REFUSE_LABEL), GenericKubernetesResource.class),
        Serialization.unmarshal("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: %1$s}
            spec:
              policyName: %1$s
              validationActions: [Deny]
            """.formatted(name), GenericKubernetesResource.class));
  }
}
