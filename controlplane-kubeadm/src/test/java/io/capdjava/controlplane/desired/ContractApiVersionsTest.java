package io.capdjava.controlplane.desired;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.capdjava.core.Contract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Upstream {@code contract.GetAPIVersion}: CRD name from the kind, newest version from the contract label. */
class ContractApiVersionsTest {

  @Test
  void crdNameIsThePluralOfTheKindDotGroup() {
    assertEquals("dockermachinetemplates.infrastructure.cluster.x-k8s.io",
        ContractApiVersions.crdName("infrastructure.cluster.x-k8s.io", "DockerMachineTemplate"));
    assertEquals("awsclusterstaticidentities.infrastructure.cluster.x-k8s.io",
        ContractApiVersions.crdName("infrastructure.cluster.x-k8s.io", "AWSClusterStaticIdentity"));
    assertEquals("kubeadmconfigs.bootstrap.cluster.x-k8s.io",
        ContractApiVersions.crdName("bootstrap.cluster.x-k8s.io", "KubeadmConfig"));
  }

  @Test
  void newestVersionOfTheContractLabelWins() {
    assertEquals(Optional.of("v1beta2"),
        ContractApiVersions.latestContractVersion(Map.of(Contract.Label.CONTRACT_V1BETA2, "v1beta1_v1beta2")));
    assertEquals(Optional.of("v1"),
        ContractApiVersions.latestContractVersion(Map.of(Contract.Label.CONTRACT_V1BETA2, "v1alpha3_v1_v1beta2")));
    assertEquals(Optional.empty(), ContractApiVersions.latestContractVersion(Map.of()));
  }
}
