package io.capdjava.core.informers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capdjava.api.core.v1beta2.Bootstrap;
import io.capdjava.api.core.v1beta2.ContractVersionedObjectReference;
import io.capdjava.api.core.v1beta2.Machine;
import io.capdjava.api.core.v1beta2.MachineSpec;
import io.capdjava.testenv.ManagementPlane;
import io.capdjava.testenv.ManagementPlaneExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagementPlaneExtension.class)
class SharedInformersTest {
  private static final String CONTROL_PLANE = "cluster.x-k8s.io/control-plane";

  private KubernetesClient client;
  private String namespace;
  private SharedInformers informers;

  @BeforeEach
  void setUp(ManagementPlane plane) {
    client = plane.client();
    namespace = plane.namespace();
    informers = new SharedInformers(client, Set.of(namespace));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    informers.close();
    client.resources(Machine.class).inNamespace(namespace).delete();
    // gone before the next test, whose informers would report them
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!client.resources(Machine.class).inNamespace(namespace).list().getItems().isEmpty()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  @Test
  void twoControllersWatchingMachinesMakeOneWatchAndBothAreWokenByAChange() throws Exception {
    long watchesBefore = namespacedMachineWatches();
    Events first = new Events();
    Events second = new Events();
    var a = source("a", first, m -> Set.of(new ResourceID("for-a-" + m.getMetadata().getName(), namespace)));
    var b = source("b", second, m -> Set.of(new ResourceID("for-b-" + m.getMetadata().getName(), namespace)));
    a.start();
    b.start();

    client.resource(machine("m1", Map.of())).create();

    assertEquals(new ResourceID("for-a-m1", namespace), first.next());
    assertEquals(new ResourceID("for-b-m1", namespace), second.next());
    assertEquals(watchesBefore + 1, settledNamespacedMachineWatches(watchesBefore + 1),
        "the API server serves one namespaced watch of Machines for both sources");
    // both read the same cache
    assertEquals("m1", a.get(new ResourceID("m1", namespace)).orElseThrow().getMetadata().getName());
    assertTrue(b.get(new ResourceID("m1", namespace)).isPresent());
  }

  @Test
  void aSourceStartedLaterIsToldOfTheObjectsAlreadyCached() throws Exception {
    client.resource(machine("early", Map.of())).create();
    Events first = new Events();
    source("first", first, m -> Set.of(ResourceID.fromResource(m))).start();
    assertEquals(new ResourceID("early", namespace), first.next());

    Events late = new Events();
    source("late", late, m -> Set.of(ResourceID.fromResource(m))).start();
    assertEquals(new ResourceID("early", namespace), late.next());
  }

  @Test
  void aLabelNarrowsEventsAndReadsAsALabelSelectorWould() throws Exception {
    Events events = new Events();
    var controlPlane = source("cp", events, m -> Set.of(ResourceID.fromResource(m))).withLabel(CONTROL_PLANE);
    controlPlane.start();

    client.resource(machine("worker", Map.of())).create();
    client.resource(machine("cp-0", Map.of(CONTROL_PLANE, ""))).create();

    assertEquals(new ResourceID("cp-0", namespace), events.next());
    assertTrue(controlPlane.get(new ResourceID("cp-0", namespace)).isPresent());
    assertFalse(controlPlane.get(new ResourceID("worker", namespace)).isPresent(), "the worker is not selected");
    assertEquals(List.of("cp-0"), controlPlane.list(namespace, m -> true).map(m -> m.getMetadata().getName()).toList());
    assertFalse(events.during(Duration.ofSeconds(1)).contains(new ResourceID("worker", namespace)),
        "the worker woke nothing");
  }

  @Test
  void jdksUpdateFilterDecidesWhichChangesWake() throws Exception {
    Events events = new Events();
    var source = source("filtered", events, m -> Set.of(ResourceID.fromResource(m)));
    // only a change of the Kubernetes version counts
    source.setOnUpdateFilter((now, before) -> !Objects.equals(now.getSpec().version, before.getSpec().version));
    source.start();
    client.resource(machine("m", Map.of())).create();
    assertEquals(new ResourceID("m", namespace), events.next());

    client.resources(Machine.class).inNamespace(namespace).withName("m")
        .edit(m -> { m.getMetadata().setLabels(Map.of("unrelated", "change")); return m; });
    assertTrue(events.during(Duration.ofSeconds(2)).isEmpty(), "a label change is filtered out");
    client.resources(Machine.class).inNamespace(namespace).withName("m")
        .edit(m -> { m.getSpec().version = "v1.34.4"; return m; });
    assertEquals(new ResourceID("m", namespace), events.next());
  }

  @Test
  void aKindTheApiServerDoesNotServeFailsTheStartNamingIt() {
    var unserved = informers.<NotServed, ConfigMap>eventSource("unserved", NotServed.class, r -> Set.of());
    OperatorException failure = assertThrows(OperatorException.class, unserved::start);
    assertTrue(failure.getMessage().contains("notserveds.example.capd-java.io in namespace " + namespace),
        failure.getMessage());
  }

  private SharedInformerEventSource<Machine, ConfigMap> source(String name, Events events,
      SecondaryToPrimaryMapper<Machine> mapper) {
    var source = informers.<Machine, ConfigMap>eventSource(name, Machine.class, mapper);
    source.setEventHandler(events);
    return source;
  }

  private Machine machine(String name, Map<String, String> labels) {
    Machine machine = new Machine();
    machine.getMetadata().setName(name);
    machine.getMetadata().setNamespace(namespace);
    machine.getMetadata().setLabels(labels);
    machine.setSpec(new MachineSpec());
    machine.getSpec().clusterName = "c";
    machine.getSpec().bootstrap = new Bootstrap();
    machine.getSpec().bootstrap.dataSecretName = name;
    machine.getSpec().infrastructureRef =
        new ContractVersionedObjectReference("infrastructure.cluster.x-k8s.io", "DockerMachine", name);
    return machine;
  }

  /** The API server's count of namespaced Machine watches, from its own metrics. */
  private long namespacedMachineWatches() {
    return client.raw("/metrics").lines()
        .filter(l -> l.startsWith("apiserver_longrunning_requests{") && l.contains("resource=\"machines\"")
            && l.contains("scope=\"namespace\"") && l.contains("verb=\"WATCH\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** The count once it has reached {@code expected} and stayed a second (a second watch would show by then). */
  private long settledNamespacedMachineWatches(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (namespacedMachineWatches() < expected && System.nanoTime() < deadline) Thread.sleep(100);
    Thread.sleep(1000);
    return namespacedMachineWatches();
  }

  /** A kind no API server serves. */
  @Group("example.capd-java.io")
  @Version("v1")
  public static final class NotServed extends CustomResource<Void, Void> implements Namespaced {}

  /** The events a source hands to its controller, in order. */
  private static final class Events implements EventHandler {
    private final BlockingQueue<ResourceID> ids = new LinkedBlockingQueue<>();

    @Override
    public void handleEvent(Event event) {
      ids.add(event.getRelatedCustomResourceID());
    }

    ResourceID next() throws InterruptedException {
      ResourceID id = ids.poll(30, TimeUnit.SECONDS);
      if (id == null) throw new AssertionError("no event within 30 s");
      return id;
    }

    /** The events that come within {@code wait}. */
    List<ResourceID> during(Duration wait) throws InterruptedException {
      Thread.sleep(wait.toMillis());
      List<ResourceID> came = new ArrayList<>();
      ids.drainTo(came);
      return came;
    }
  }
}
