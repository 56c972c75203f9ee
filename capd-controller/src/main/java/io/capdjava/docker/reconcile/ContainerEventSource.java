package io.capdjava.docker.reconcile;

import io.capdjava.docker.Labels;
import io.capdjava.docker.runtime.ContainerEvent;
import io.capdjava.docker.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's events of our containers (kind's cluster label) as reconcile triggers: a load balancer or node
 * container that stops or vanishes wakes the object that owns it at once, instead of at its next periodic look.
 * {@code owners} maps an event to the objects to reconcile (none for events that do not concern them).
 *
 * @param <P> the reconciled kind
 */
final class ContainerEventSource<P extends HasMetadata> extends AbstractEventSource<ContainerEvent, P> {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerEventSource.class);

  /**
   * How long after an event its owners are reconciled: the engine reports {@code die} before it has finished the
   * stop or forced removal that caused it (a container being removed still lists as running for a moment), and a
   * reconcile must see how it ended.
   */
  static final Duration SETTLE_DELAY = Duration.ofSeconds(1);

  private final ContainerRuntime runtime;
  private final Function<ContainerEvent, Set<ResourceID>> owners;
  private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "container-events");
    t.setDaemon(true);
    return t;
  });
  private AutoCloseable watch;

  ContainerEventSource(ContainerRuntime runtime, Function<ContainerEvent, Set<ResourceID>> owners) {
    super(ContainerEvent.class, "container-events");
    this.runtime = runtime;
    this.owners = owners;
  }

  @Override
  public void start() throws OperatorException {
    // only the events that can concern an owner: the engine sends no other, and one stream serves every source
    watch = runtime.watchContainers(Labels.CLUSTER, Set.of(ContainerEvent.DIE), event -> {
      for (ResourceID owner : owners.apply(event)) {
        LOG.debug("container {} {}: reconciling {}", event.name(), event.action(), owner);
        delayed.schedule(() -> getEventHandler().handleEvent(new Event(owner)), SETTLE_DELAY.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    });
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    try {
      if (watch != null) watch.close();
    } catch (Exception e) {
      LOG.debug("closing the container events stream: {}", e.toString());
    }
    delayed.shutdownNow();
    super.stop();
  }

  @Override
  public Set<ContainerEvent> getSecondaryResources(P primary) {
    return Set.of();
  }
}
