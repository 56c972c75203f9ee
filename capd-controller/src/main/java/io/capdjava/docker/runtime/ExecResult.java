package io.capdjava.docker.runtime;

/** The outcome of a command run in a container; {@code timedOut} when it did not finish in time. */
public record ExecResult(int exitCode, String output, boolean timedOut) {
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** The last lines of the output, for a condition message a user can act on. */
  public String tail(int lines) {
    String[] all = output.strip().split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
  }
}
