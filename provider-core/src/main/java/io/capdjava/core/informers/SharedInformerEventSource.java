package io.capdjava.core.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A controller's view of a kind another object of it depends on, as JOSDK's {@code InformerEventSource} with a
 * secondary-to-primary mapper, over the process's one informer of that kind ({@link SharedInformers}): a change wakes
 * the objects {@code toPrimaries} maps it to, and the cache answers reads. JOSDK's add, update, delete and generic
 * filters apply to events; {@link #withLabel} narrows events and reads to objects carrying a label, as a label
 * selector would narrow a controller's own informer.
 *
 * @param <R> the watched kind
 * @param <P> the controller's kind
 */
public final class SharedInformerEventSource<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> implements Cache<R>, InformerWrappingEventSourceHealthIndicator<R> {
  private final KindInformer<R> informer;
  private final SecondaryToPrimaryMapper<R> toPrimaries;
  private final ResourceEventHandler<R> handler = new Handler();
  private Predicate<R> selected = r -> true;

  SharedInformerEventSource(String name, KindInformer<R> informer, Class<R> type,
      SecondaryToPrimaryMapper<R> toPrimaries) {
    super(type, name);
    this.informer = informer;
    this.toPrimaries = toPrimaries;
  }

  /** Only objects labelled {@code key} (any value) wake the controller and are read from the cache. */
  public SharedInformerEventSource<R, P> withLabel(String key) {
    selected = r -> r.getMetadata().getLabels() != null && r.getMetadata().getLabels().containsKey(key);
    return this;
  }

  @Override
  public void start() throws OperatorException {
    informer.startAndSync();
    super.start();
    // after start: the handler is first told of every cached object, and events of a stopped source are dropped
    informer.addHandler(handler);
  }

  @Override
  public void stop() throws OperatorException {
    informer.removeHandler(handler);
    super.stop();
  }

  @Override
  public Optional<R> get(ResourceID id) {
    return informer.get(id).filter(selected);
  }

  @Override
  public Stream<ResourceID> keys() {
    return list(r -> true).map(ResourceID::fromResource);
  }

  @Override
  public Stream<R> list(Predicate<R> filter) {
    return informer.list(null, selected.and(filter));
  }

  /** The cached objects of {@code namespace} that {@code filter} accepts. */
  public Stream<R> list(String namespace, Predicate<R> filter) {
    return informer.list(namespace, selected.and(filter));
  }

  /** The cached objects that map to {@code primary} (a scan of the namespace: the reconcilers read by name). */
  @Override
  public Set<R> getSecondaryResources(P primary) {
    ResourceID id = ResourceID.fromResource(primary);
    return list(primary.getMetadata().getNamespace(), r -> toPrimaries.toPrimaryResourceIDs(r).contains(id))
        .collect(Collectors.toSet());
  }

  @Override
  public Map<String, InformerHealthIndicator> informerHealthIndicators() {
    return informer.health();
  }

  /** As JOSDK's informer sources: healthy when every informer of the kind runs, has synced and watches. */
  @Override
  public Status getStatus() {
    return InformerWrappingEventSourceHealthIndicator.super.getStatus();
  }

  private void propagate(R resource) {
    for (ResourceID primary : toPrimaries.toPrimaryResourceIDs(resource)) {
      getEventHandler().handleEvent(new Event(primary));
    }
  }

  private boolean generic(R resource) {
    return genericFilter == null || genericFilter.accept(resource);
  }

  /** The informer's events, in order (the informer calls each handler from one thread at a time). */
  private final class Handler implements ResourceEventHandler<R> {
    @Override
    public void onAdd(R resource) {
      if (!isRunning() || !selected.test(resource)) return;
      if ((onAddFilter == null || onAddFilter.accept(resource)) && generic(resource)) propagate(resource);
    }

    @Override
    public void onUpdate(R before, R now) {
      // an object losing the label is the last change a label-selected informer would report (as a deletion)
      if (!isRunning() || !(selected.test(now) || selected.test(before))) return;
      if ((onUpdateFilter == null || onUpdateFilter.accept(now, before)) && generic(now)) propagate(now);
    }

    @Override
    public void onDelete(R resource, boolean finalStateUnknown) {
      if (!isRunning() || !selected.test(resource)) return;
      if ((onDeleteFilter == null || onDeleteFilter.accept(resource, finalStateUnknown)) && generic(resource)) {
        propagate(resource);
      }
    }
  }
}
