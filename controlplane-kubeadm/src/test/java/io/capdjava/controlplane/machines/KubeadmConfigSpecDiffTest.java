package io.capdjava.controlplane.machines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.bootstrap.v1beta2.KubeadmConfigSpec;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlane;
import io.capdjava.api.controlplane.v1beta2.KubeadmControlPlaneSpec;
import io.capdjava.controlplane.desired.DesiredKubeadmConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream {@code TestMatchesKubeadmConfig} and the omittable-field tests, specs written as YAML. */
class KubeadmConfigSpecDiffTest {

  static KubeadmConfigSpec spec(String yaml) {
    return Serialization.unmarshal(yaml.isBlank() ? "{}" : yaml, KubeadmConfigSpec.class);
  }

  static KubeadmConfigSpecDiff.Result compare(String version, String kcpSpec, String currentSpec) {
    KubeadmControlPlane kcp = new KubeadmControlPlane();
    kcp.setMetadata(new ObjectMetaBuilder().withName("kcp").build());
    kcp.setSpec(new KubeadmControlPlaneSpec());
    kcp.getSpec().version = version;
    kcp.getSpec().kubeadmConfigSpec = spec(kcpSpec);
    return KubeadmConfigSpecDiff.compare(spec(currentSpec), DesiredKubeadmConfig.spec(kcp, true),
        DesiredKubeadmConfig.spec(kcp, false));
  }

  @Test
  void equalClusterConfigurationMatches() {
    String cc = "clusterConfiguration: {certificatesDir: foo, apiServer: {certSANs: [a]}}\n";
    assertTrue(compare("v1.30.0", cc, cc + "initConfiguration: {}").matches());
    assertTrue(compare("v1.30.0", "", "initConfiguration: {}").matches(), "both empty");
  }

  @Test
  void defaultedFeatureGateIsNoDifference() {
    assertTrue(compare("v1.31.0", "clusterConfiguration: {}",
        "clusterConfiguration: {featureGates: {ControlPlaneKubeletLocalMode: true}}\ninitConfiguration: {}").matches());
  }

  @Test
  void controlPlaneEndpointAndDnsAreIgnored() {
    assertTrue(compare("v1.30.0", "clusterConfiguration: {dns: {imageTag: v1.11.1}}",
        "clusterConfiguration: {controlPlaneEndpoint: 'lb:6443', dns: {imageTag: v1.10.1}}\ninitConfiguration: {}")
        .matches());
  }

  @Test
  void differentClusterConfigurationDoesNotMatchAndNamesTheField() {
    KubeadmConfigSpecDiff.Result r = compare("v1.30.0", "clusterConfiguration: {certificatesDir: bar}",
        "clusterConfiguration: {certificatesDir: foo}\ninitConfiguration: {}");
    assertFalse(r.matches());
    assertEquals(List.of("clusterConfiguration.certificatesDir"), r.paths());
  }

  @Test
  void initConfigurationMatchesAfterConversionToJoin() {
    String kcp = """
        joinConfiguration:
          timeouts: {controlPlaneComponentHealthCheckSeconds: 5, kubernetesAPICallSeconds: 7}
          patches: {directory: /test/patches}
          skipPhases: [skip-phase]
          nodeRegistration: {name: name, kubeletExtraArgs: [{name: v, value: '8'}]}
          controlPlane: {localAPIEndpoint: {advertiseAddress: 1.2.3.4, bindPort: 6443}}
          caCertPath: /tmp/cacert
        """;
    String current = """
        initConfiguration:
          timeouts: {controlPlaneComponentHealthCheckSeconds: 1, kubernetesAPICallSeconds: 7}
          patches: {directory: /test/patches}
          skipPhases: [skip-phase]
          nodeRegistration: {name: name, kubeletExtraArgs: [{name: v, value: '8'}]}
          localAPIEndpoint: {advertiseAddress: 1.2.3.4, bindPort: 6443}
        """;
    assertTrue(compare("v1.30.0", kcp, current).matches(), compare("v1.30.0", kcp, current).paths().toString());
  }

  @Test
  void initConfigurationMatchingTheKcpInitIsUpToDateEvenWhenJoinDiffers() {
    assertTrue(compare("v1.30.0", """
        initConfiguration: {nodeRegistration: {name: name}}
        joinConfiguration: {nodeRegistration: {name: Different name}}
        """, "initConfiguration: {nodeRegistration: {name: name}}").matches());
  }

  @Test
  void changedInitConfigurationDoesNotMatch() {
    KubeadmConfigSpecDiff.Result r = compare("v1.30.0", """
        initConfiguration: {nodeRegistration: {name: A new name}}
        joinConfiguration: {nodeRegistration: {name: A new name}}
        """, "initConfiguration: {nodeRegistration: {name: An old name}}");
    assertFalse(r.matches());
    assertEquals(List.of("initConfiguration.nodeRegistration.name"), r.paths());
  }

  @Test
  void joinConfigurationMatchesApartFromDiscoveryTimeoutAndMissingControlPlaneMarker() {
    String kcp = "joinConfiguration: {nodeRegistration: {name: A new name}, timeouts: "
        + "{controlPlaneComponentHealthCheckSeconds: 5}, discovery: {bootstrapToken: {token: abc.def}}}";
    assertTrue(compare("v1.30.0", kcp, "joinConfiguration: {nodeRegistration: {name: A new name}, controlPlane: {}}")
        .matches());
    assertTrue(compare("v1.30.0", "joinConfiguration: {nodeRegistration: {name: n, kubeletExtraArgs: [{name: v, value: '1'}]}}",
        "joinConfiguration: {nodeRegistration: {name: n, kubeletExtraArgs: [{name: v, value: '1'}]}}").matches(),
        "a join config made by CAPI 1.11 without controlPlane");
  }

  @Test
  void changedJoinConfigurationDoesNotMatch() {
    KubeadmConfigSpecDiff.Result r = compare("v1.30.0", "joinConfiguration: {nodeRegistration: {name: A new name}}",
        "joinConfiguration: {nodeRegistration: {name: An old name}, controlPlane: {}}");
    assertFalse(r.matches());
    assertEquals(List.of("joinConfiguration.nodeRegistration.name"), r.paths());
    KubeadmConfigSpecDiff.Result endpoint = compare("v1.30.0",
        "joinConfiguration: {controlPlane: {localAPIEndpoint: {bindPort: 6444}}}",
        "joinConfiguration: {controlPlane: {localAPIEndpoint: {bindPort: 6443}}}");
    assertEquals(List.of("joinConfiguration.controlPlane.localAPIEndpoint.bindPort"), endpoint.paths());
  }

  @Test
  void omittableFieldsAndOldDefaultsAreNoDifference() {
    assertTrue(compare("v1.30.0", "files: []\npreKubeadmCommands: []\nclusterConfiguration: {apiServer: {extraArgs: []}}",
        "initConfiguration: {}\nformat: cloud-config").matches());
    assertTrue(compare("v1.30.0", "", "initConfiguration: {nodeRegistration: {imagePullPolicy: IfNotPresent}}").matches());
  }

  @Test
  void emptyTaintsMeanNoTaintsAndDiffer() {
    KubeadmConfigSpecDiff.Result r = compare("v1.30.0", "joinConfiguration: {nodeRegistration: {taints: []}}",
        "joinConfiguration: {controlPlane: {}}");
    assertFalse(r.matches(), "taints: [] (no taints) is not kubeadm's default taints");
    assertEquals(List.of("joinConfiguration.nodeRegistration.taints"), r.paths());
  }

  @Test
  void initAndJoinAreToldApart() {
    assertTrue(KubeadmConfigSpecDiff.isJoin(spec("joinConfiguration: {controlPlane: {}}")));
    assertFalse(KubeadmConfigSpecDiff.isJoin(spec("initConfiguration: {}")));
  }
}
