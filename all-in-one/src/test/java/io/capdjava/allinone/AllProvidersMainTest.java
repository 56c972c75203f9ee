package io.capdjava.allinone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capdjava.allinone.AllProvidersMain.Provider;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AllProvidersMainTest {
  @Test
  void allProvidersRunByDefault() {
    String defaultValue = AllProvidersMain.flags().parse().get(AllProvidersMain.PROVIDERS);
    assertEquals(EnumSet.allOf(Provider.class), AllProvidersMain.providers(defaultValue));
  }

  @Test
  void providersPicksSome() {
    assertEquals(EnumSet.of(Provider.BOOTSTRAP, Provider.CONTROL_PLANE),
        AllProvidersMain.providers("control-plane, bootstrap"));
  }

  @Test
  void anUnknownProviderIsRefusedNamingTheFlag() {
    var e = assertThrows(IllegalArgumentException.class, () -> AllProvidersMain.providers("docker,kcp"));
    assertEquals("--providers: unknown provider \"kcp\"; the providers are docker,bootstrap,control-plane",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AllProvidersMain.providers(" , "));
  }
}
