package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagementClientTest {
  private final String before = System.getProperty(ManagementClient.KEY_PBE_ITERATIONS);

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty(ManagementClient.KEY_PBE_ITERATIONS);
    else System.setProperty(ManagementClient.KEY_PBE_ITERATIONS, before);
  }

  @Test
  void inMemoryKeyStoreEntriesGetOneIteration() {
    System.clearProperty(ManagementClient.KEY_PBE_ITERATIONS);
    ManagementClient.protectInMemoryKeyStoresCheaply();
    assertEquals("1", System.getProperty(ManagementClient.KEY_PBE_ITERATIONS));
  }

  @Test
  void anIterationCountTheOperatorSetIsKept() {
    System.setProperty(ManagementClient.KEY_PBE_ITERATIONS, "5000");
    ManagementClient.protectInMemoryKeyStoresCheaply();
    assertEquals("5000", System.getProperty(ManagementClient.KEY_PBE_ITERATIONS));
  }
}
