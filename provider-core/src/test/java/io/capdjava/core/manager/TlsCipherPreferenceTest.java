package io.capdjava.core.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.client.Config;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a provider process negotiates with a real kube-apiserver, in JVMs of its own (the JDK reads the preference
 * once, before the first TLS connection): ChaCha20-Poly1305 where the JIT stops at C1, the JDK's own order (AES-GCM)
 * with C2, and an operator's own list untouched.
 */
@ExtendWith(ManagementPlaneExtension.class)
class TlsCipherPreferenceTest {
  @Test
  void aC1OnlyProcessNegotiatesChaCha20WithTheApiServer(ManagementPlane plane) throws Exception {
    assertEquals("TLSv1.3 TLS_CHACHA20_POLY1305_SHA256", negotiate(plane, "-XX:TieredStopAtLevel=1"));
  }

  @Test
  void aProcessWithC2KeepsTheJdksOrder(ManagementPlane plane) throws Exception {
    String negotiated = negotiate(plane);
    assertTrue(negotiated.matches("TLSv1\\.3 TLS_AES_(128|256)_GCM_SHA(256|384)"), negotiated);
  }

  @Test
  void cipherSuitesTheOperatorChoseAreKept(ManagementPlane plane) throws Exception {
    assertEquals("TLSv1.3 TLS_AES_128_GCM_SHA256", negotiate(plane, "-XX:TieredStopAtLevel=1",
        "-D" + TlsCipherPreference.CLIENT_CIPHER_SUITES + "=TLS_AES_128_GCM_SHA256"));
  }

  private static String negotiate(ManagementPlane plane, String... jvmOptions) throws Exception {
    URI server = URI.create(Config.fromKubeconfig(Files.readString(plane.kubeconfig())).getMasterUrl());
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), NegotiatedCipherSuite.class.getName(),
        server.getHost(), String.valueOf(server.getPort())));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, process.waitFor(), output);
    return output;
  }
}
