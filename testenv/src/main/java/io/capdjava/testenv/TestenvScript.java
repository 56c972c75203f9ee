package io.capdjava.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs {@code hack/testenv.sh} for a plane living in {@code dir}; its output is returned, and shown on failure. */
final class TestenvScript {
  private TestenvScript() {}

  static String run(Path dir, String command) {
    Path script = ManagementPlaneExtension.repoRoot().resolve("hack/testenv.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
    pb.environment().put("TESTENV_DIR", dir.toString());
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("hack/testenv.sh " + command + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
