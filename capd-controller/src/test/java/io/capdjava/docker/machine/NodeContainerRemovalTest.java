package io.capdjava.docker.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.docker.runtime.DockerEngineRuntime;
import io.capdjava.docker.runtime.SecurityProfiles;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node with a frozen cgroup is removed on the real engine. Seen in upstream's kcp-adoption spec: a node deleted
 * while runc set up a static pod's container kept a frozen freezer cgroup, the engine answered "tried to kill
 * container, but did not receive an exit event" to every removal, and the Machine never went.
 */
class NodeContainerRemovalTest {
  private static final String NODE_IMAGE = "kindest/node:v1.34.4";
  private final String cluster = "rm-" + ProcessHandle.current().pid();
  private DockerEngineRuntime runtime;
  private String node;

  @BeforeEach
  void startNode() {
    runtime = DockerEngineRuntime.connect();
    runtime.ensureNetwork("kind");
    node = runtime.run(NodeContainer.spec(cluster, "n" + System.nanoTime() % 100000, NODE_IMAGE, false, null, null,
        SecurityProfiles.choose("auto", runtime))).name();
  }

  @AfterEach
  void removeLeftovers() throws Exception {
    try {
      if (runtime.find(node).isPresent()) NodeContainer.remove(runtime, node);
    } finally {
      runtime.close();
    }
  }

  @Test
  void aNodeWithAFrozenProcessIsRemoved() {
    // a process in a frozen cgroup of its own, as runc leaves one when killed while it sets a container up
    String freeze = "if [ -d /sys/fs/cgroup/freezer ]; then d=/sys/fs/cgroup/freezer/stuck; mkdir -p $d;"
        + " sh -c \"echo \\$\\$ > $d/cgroup.procs; exec sleep 1000\" & sleep 1; echo FROZEN > $d/freezer.state;"
        + " cat $d/freezer.state; else d=/sys/fs/cgroup/stuck; mkdir -p $d;"
        + " sh -c \"echo \\$\\$ > $d/cgroup.procs; exec sleep 1000\" & sleep 1; echo 1 > $d/cgroup.freeze;"
        + " echo FROZEN; fi";
    var frozen = runtime.exec(node, List.of("sh", "-c", freeze), Duration.ofSeconds(30));
    assertTrue(frozen.output().contains("FROZEN"), "the cgroup is frozen: " + frozen.output());

    long start = System.nanoTime();
    NodeContainer.remove(runtime, node);
    assertEquals(false, runtime.find(node).isPresent(), "the node is gone");
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(30)) < 0,
        "removed without waiting for the engine's kill timeouts");
  }
}
