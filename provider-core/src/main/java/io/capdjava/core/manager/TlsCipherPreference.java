package io.capdjava.core.manager;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The TLS cipher suites a provider process offers first as a client, chosen for its JIT. The JDK's fast AES and GHASH
 * code are C2 intrinsics: a JVM that stops at C1, as the quick-start runs our providers (it starts with a fraction of
 * the CPU), decrypts AES-GCM in plain Java at about 30 MB/s, where ChaCha20-Poly1305 runs at about 120 MB/s (measured
 * here). Everything the providers read from API servers is decrypted so: with 50 machines provisioned at once, AES-GCM
 * was 15% of the process's CPU. Such a JVM offers ChaCha20-Poly1305 first, which the Go TLS stack of the API server
 * takes when the client lists it first; every other suite stays offered after it. A list the operator set is kept.
 */
final class TlsCipherPreference {
  static final String CLIENT_CIPHER_SUITES = "jdk.tls.client.cipherSuites";

  /** The JDK 17 client's default suites, in its order, with the ChaCha20-Poly1305 ones moved to the front. */
  static final List<String> CHACHA20_FIRST = List.of(
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
      "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
      "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
      "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
      "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
      "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
      "TLS_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_RSA_WITH_AES_256_CBC_SHA256",
      "TLS_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_RSA_WITH_AES_256_CBC_SHA",
      "TLS_RSA_WITH_AES_128_CBC_SHA",
      "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");

  private TlsCipherPreference() {}

  /** Before the process's first TLS connection: the JDK reads the property once. */
  static void applyForThisJit() {
    if (System.getProperty(CLIENT_CIPHER_SUITES) == null && aesGcmRunsInPlainJava()) {
      System.setProperty(CLIENT_CIPHER_SUITES, String.join(",", CHACHA20_FIRST));
    }
  }

  static boolean aesGcmRunsInPlainJava() {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      boolean c2 = Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4
          || !Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue());
      // UseAES: the CPU's AES instructions, which C2's intrinsics use (UseAESIntrinsics is a diagnostic flag)
      return !c2 || !Boolean.parseBoolean(vm.getVMOption("UseAES").getValue());
    } catch (RuntimeException e) {
      // not HotSpot, or a platform without the intrinsics' flag
      return true;
    }
  }
}
