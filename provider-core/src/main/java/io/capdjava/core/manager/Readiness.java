package io.capdjava.core.manager;

import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a provider's controllers can serve: started, every informer running with its cache synced, every other
 * event source not failing. JOSDK's own check ({@code allEventSourcesAreHealthy}) also asks that every informer be
 * watching, which fabric8 reports only once a streamed watch has received its first event (on a quiet management
 * cluster, minutes after start-up). An informer whose watch drops keeps running and reconnects by itself; its cache is
 * still served, so it stays ready. Upstream's managers answer readyz with a ping alone; waiting for the caches is
 * deliberately stricter.
 */
final class Readiness {
  private Readiness() {}

  /** What is not ready yet, one entry per event source ("controller/source"); empty when ready. */
  static List<String> notReady(RuntimeInfo runtime) {
    if (!runtime.isStarted()) return List.of("controllers are starting");
    List<String> waiting = new ArrayList<>();
    for (var controller : runtime.getRegisteredControllers()) {
      String name = controller.getConfiguration().getName();
      for (Map.Entry<String, EventSourceHealthIndicator> source :
          controller.getControllerHealthInfo().eventSourceHealthIndicators().entrySet()) {
        if (!ready(source.getValue())) waiting.add(name + "/" + source.getKey());
      }
    }
    return waiting;
  }

  static boolean ready(EventSourceHealthIndicator source) {
    if (source instanceof InformerWrappingEventSourceHealthIndicator<?> informers) {
      return informers.informerHealthIndicators().values().stream().allMatch(Readiness::synced);
    }
    return source.getStatus() != Status.UNHEALTHY;
  }

  private static boolean synced(InformerHealthIndicator informer) {
    return informer.isRunning() && informer.hasSynced();
  }
}
