package io.capdjava.controlplane.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Corefiles migrated as upstream's corefile-migration library (v1.0.35, the version CAPI v1.14.2 uses) migrates them.
 * The expected files under {@code corefile/} were written by that library's {@code Migrate} from the inputs beside
 * them: the Corefile kubeadm v1.34 deploys (taken from a cluster of ours) and one with comments, quotes, an endpoint
 * list and a block on one line, which the library reads as a nested server block.
 */
class CorefileMigrationTest {
  static String resource(String name) throws IOException {
    try (InputStream in = CorefileMigrationTest.class.getResourceAsStream("/corefile/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void kubeadmsCorefileIsRewrittenInTheLibrarysLayout() throws IOException {
    String migrated = CorefileMigration.migrate("1.12.1", "1.13.1", resource("kubeadm-1.34.Corefile"));
    assertEquals(resource("kubeadm-1.34-to-1.13.1.Corefile"), migrated);
    assertTrue(migrated.contains("\n        lameduck 5s\n"), migrated);
  }

  @Test
  void commentsQuotesEndpointsAndOneLineBlocksComeOutAsTheLibrarysDo() throws IOException {
    assertEquals(resource("tricky-1.14.7.Corefile"),
        CorefileMigration.migrate("1.11.1", "1.14.7", resource("tricky.Corefile")));
  }

  @Test
  void theSameReleaseLeavesTheTextAsItIs() throws IOException {
    String corefile = resource("kubeadm-1.34.Corefile");
    assertSame(corefile, CorefileMigration.migrate("1.12.1", "1.12.1", corefile));
  }

  @Test
  void downgradesUnknownTargetsAndOldStartsAreRefused() throws IOException {
    String corefile = resource("kubeadm-1.34.Corefile");
    assertEquals("cannot migrate up to '1.12.0' from '1.12.1'",
        assertThrows(IllegalArgumentException.class, () -> CorefileMigration.migrate("1.12.1", "1.12.0", corefile))
            .getMessage());
    assertEquals("cannot migrate up to '9.9.9' from '1.12.1'",
        assertThrows(IllegalArgumentException.class, () -> CorefileMigration.migrate("1.12.1", "9.9.9", corefile))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CorefileMigration.migrate("1.10.1", "1.12.0", corefile)).getMessage()
        .startsWith("start version '1.10.1' not supported"));
  }
}
