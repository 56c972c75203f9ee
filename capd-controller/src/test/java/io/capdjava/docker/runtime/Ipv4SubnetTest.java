package io.capdjava.docker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
  @Test
  void anAddressIsInTheSubnetItsPrefixNames() {
    assertTrue(Ipv4Subnet.contains("172.18.0.0/16", "172.18.0.2"));
    assertTrue(Ipv4Subnet.contains("172.18.0.0/16", "172.18.255.255"));
    assertFalse(Ipv4Subnet.contains("172.18.0.0/16", "172.19.0.2"));
    assertTrue(Ipv4Subnet.contains("10.0.0.0/8", "10.200.1.1"));
    assertTrue(Ipv4Subnet.contains("0.0.0.0/0", "1.2.3.4"));
  }

  @Test
  void hostNamesAndMalformedInputAreNotInAnySubnet() {
    assertFalse(Ipv4Subnet.contains("172.18.0.0/16", "localhost"));
    assertFalse(Ipv4Subnet.contains("172.18.0.0/16", "host.docker.internal"));
    assertFalse(Ipv4Subnet.contains("172.18.0.0/16", "172.18.0.256"));
    assertFalse(Ipv4Subnet.contains("172.18.0.0", "172.18.0.2"));
  }

  @Test
  void theFirstFreeAddressSkipsTheUsedOnesAndTheSubnetsOwn() {
    assertEquals(java.util.Optional.of("172.18.0.3"),
        Ipv4Subnet.firstFree("172.18.0.0/16", java.util.Set.of("172.18.0.1", "172.18.0.2")));
    assertEquals(java.util.Optional.of("172.18.1.0"), Ipv4Subnet.firstFree("172.18.0.0/16",
        java.util.stream.IntStream.rangeClosed(1, 255).mapToObj(i -> "172.18.0." + i)
            .collect(java.util.stream.Collectors.toSet())));
    assertEquals(java.util.Optional.empty(),
        Ipv4Subnet.firstFree("10.0.0.0/30", java.util.Set.of("10.0.0.1", "10.0.0.2")), "only .1 and .2 are hosts");
    assertEquals(java.util.Optional.empty(), Ipv4Subnet.firstFree("172.18.0.0", java.util.Set.of()));
  }
}
