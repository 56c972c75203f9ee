package io.capdjava.core.manager;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client whose kubeconfig names its cluster's CA trusts that CA alone, as client-go (kubectl, CAPI core) does.
 * fabric8 builds every client's trust store from the JDK's whole CA bundle and adds the kubeconfig's CA to it: about
 * 140 certificates parsed for each client (the management client at start-up, then every workload cluster client
 * KCP makes), and a server certificate from any public CA accepted for a cluster that has its own. fabric8 starts the
 * store from a trust store file when the configuration names one, and adds the CA to it: an empty one, written once
 * per process, leaves the CA alone in it.
 *
 * <p>Left to fabric8 as it is: a kubeconfig without a CA (the JDK's bundle then, as client-go's system roots), one
 * that skips verification, and a process given a trust store of its own ({@code javax.net.ssl.trustStore} or
 * {@code .trustStoreType}, fabric8's {@code kubernetes.truststore.file}).
 */
public final class ClusterCaTrust {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterCaTrust.class);

  /**
   * An empty PKCS12 store without an integrity MAC, which the JDK loads with any password: a PFX of version 3 whose
   * authenticated safe (a data ContentInfo) holds an empty sequence.
   */
  static final byte[] EMPTY_PKCS12 = HexFormat.of().parseHex("30160201033011"
      + "06092a864886f70d010701" // contentType: pkcs7-data
      + "a00404023000"); // content: [0] OCTET STRING { SEQUENCE {} }

  /** fabric8's passphrase when none is set, which the store above does not check. */
  private static final String PASSPHRASE = "changeit";

  private ClusterCaTrust() {}

  /** The configuration, set to trust its CA alone where it names one. */
  public static Config apply(Config config) {
    boolean namesCa = notBlank(config.getCaCertData()) || notBlank(config.getCaCertFile());
    boolean ownTrustStore = notBlank(config.getTrustStoreFile())
        || System.getProperty("javax.net.ssl.trustStore") != null
        || System.getProperty("javax.net.ssl.trustStoreType") != null;
    if (!namesCa || config.isTrustCerts() || ownTrustStore) return config;
    Path empty = EmptyTrustStore.PATH;
    if (empty == null) return config;
    config.setTrustStoreFile(empty.toString());
    config.setTrustStorePassphrase(PASSPHRASE);
    return config;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  /** Written at first use; null where no temporary file can be written (fabric8's own trust store then). */
  private static final class EmptyTrustStore {
    static final Path PATH = write();

    private static Path write() {
      try {
        Path file = Files.createTempFile("capd-java-empty-truststore", ".p12");
        file.toFile().deleteOnExit();
        return Files.write(file, EMPTY_PKCS12);
      } catch (IOException | SecurityException e) {
        LOG.debug("no empty trust store file ({}); clients trust the JDK's CA bundle as well as their cluster's CA",
            e.toString());
        return null;
      }
    }
  }
}
