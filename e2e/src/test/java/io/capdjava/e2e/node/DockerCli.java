package io.capdjava.e2e.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The docker command line, as a user of the node image drives it. */
final class DockerCli {
  private DockerCli() {}

  /** Runs {@code docker args...}, failing with the command's output unless it exits with 0. */
  static String docker(Duration timeout, String... args) {
    Command.Result result = run(timeout, null, args);
    if (!result.ok()) {
      throw new IllegalStateException(
          "docker " + String.join(" ", args) + " exited with " + result.exitCode() + ":\n" + result.output());
    }
    return result.output().strip();
  }

  /** Runs {@code docker args...} with {@code stdin} as its input (null for none) and returns whatever happened. */
  static Command.Result run(Duration timeout, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    return Command.run(timeout, stdin, command);
  }
}
