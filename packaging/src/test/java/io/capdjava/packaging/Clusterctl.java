package io.capdjava.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The Go-built clusterctl (and the repo's hack scripts) as a user runs them; output returned, shown on failure. */
final class Clusterctl {
  private Clusterctl() {}

  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("hack/clusterctl-repo.sh"))) return p;
    }
    throw new IllegalStateException("hack/clusterctl-repo.sh not found above " + Path.of("").toAbsolutePath());
  }

  static Path binDir() {
    return Path.of(run(Map.of(), "bash", repoRoot().resolve("hack/tools.sh").toString(), "--print-dir").strip());
  }

  /** clusterctl with its own config home (so a user's ~/.config/cluster-api never leaks in) and no GitHub check. */
  static String clusterctl(Path configHome, String... args) {
    List<String> command = new ArrayList<>(List.of(binDir().resolve("clusterctl").toString()));
    command.addAll(List.of(args));
    return run(Map.of("XDG_CONFIG_HOME", configHome.toString(), "CLUSTERCTL_DISABLE_VERSIONCHECK", "true"),
        command.toArray(String[]::new));
  }

  /** Lays out the local repository; returns the path of its clusterctl.yaml. */
  static Path repository(Path dir, boolean offline) {
    List<String> command = new ArrayList<>(List.of("bash", repoRoot().resolve("hack/clusterctl-repo.sh").toString()));
    if (offline) command.add("--offline");
    command.add(dir.toString());
    run(Map.of(), command.toArray(String[]::new));
    return dir.resolve("clusterctl.yaml");
  }

  static String run(Map<String, String> env, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().putAll(env);
    try {
      Path err = Files.createTempFile("clusterctl-test", ".stderr");
      pb.redirectError(err.toFile());
      Process process = pb.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean done = process.waitFor(5, TimeUnit.MINUTES);
      String stderr = Files.readString(err);
      Files.delete(err);
      if (!done || process.exitValue() != 0) {
        if (!done) process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " failed:\n" + stderr + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
