package io.capdjava.core.manager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.Controller;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what JOSDK reports of each controller's reconciles, under controller-runtime's metric names so the
 * dashboards and alerts written for upstream providers read ours: reconcile_total by result, reconcile_errors_total,
 * reconcile_time_seconds, active_workers, max_concurrent_reconciles.
 */
public final class ReconcileMetrics implements Metrics {
  /** controller-runtime's buckets for reconcile_time_seconds (seconds). */
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
      0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50,
      60};

  private final int concurrency;
  private final Map<String, ControllerStats> controllers = new ConcurrentHashMap<>();

  public ReconcileMetrics(int concurrency) {
    this.concurrency = concurrency;
  }

  private static final class ControllerStats {
    final LongAdder success = new LongAdder();
    final LongAdder error = new LongAdder();
    final AtomicInteger active = new AtomicInteger();
    final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
    final DoubleAdder seconds = new DoubleAdder();
    final LongAdder count = new LongAdder();

    void observe(double elapsed) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (elapsed <= BUCKETS[i]) {
          buckets.incrementAndGet(i);
          break;
        }
      }
      seconds.add(elapsed);
      count.increment();
    }
  }

  private ControllerStats stats(String controller) {
    return controllers.computeIfAbsent(controller, c -> new ControllerStats());
  }

  private ControllerStats stats(Map<String, Object> metadata) {
    return stats(String.valueOf(metadata.get(Constants.CONTROLLER_NAME)));
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    stats(controller.getConfiguration().getName());
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    stats(metadata).active.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    stats(metadata).active.decrementAndGet();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    ControllerStats stats = stats(execution.controllerName());
    long start = System.nanoTime();
    try {
      T result = execution.execute();
      stats.success.increment();
      return result;
    } catch (Exception e) {
      stats.error.increment();
      throw e;
    } finally {
      stats.observe((System.nanoTime() - start) / 1e9);
    }
  }

  void render(PrometheusText text) {
    Map<String, ControllerStats> sorted = new TreeMap<>(controllers);
    text.family("controller_runtime_reconcile_total", "counter",
        "Total number of reconciliations per controller");
    sorted.forEach((c, s) -> {
      text.sample("controller_runtime_reconcile_total", s.success.sum(), "controller", c, "result", "success");
      text.sample("controller_runtime_reconcile_total", s.error.sum(), "controller", c, "result", "error");
    });
    text.family("controller_runtime_reconcile_errors_total", "counter",
        "Total number of reconciliation errors per controller");
    sorted.forEach((c, s) -> text.sample("controller_runtime_reconcile_errors_total", s.error.sum(), "controller", c));
    text.family("controller_runtime_reconcile_time_seconds", "histogram",
        "Length of time per reconciliation per controller");
    sorted.forEach((c, s) -> {
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += s.buckets.get(i);
        text.sample("controller_runtime_reconcile_time_seconds_bucket", cumulative,
            "controller", c, "le", PrometheusText.format(BUCKETS[i]));
      }
      text.sample("controller_runtime_reconcile_time_seconds_bucket", s.count.sum(), "controller", c, "le", "+Inf");
      text.sample("controller_runtime_reconcile_time_seconds_sum", s.seconds.sum(), "controller", c);
      text.sample("controller_runtime_reconcile_time_seconds_count", s.count.sum(), "controller", c);
    });
    text.family("controller_runtime_active_workers", "gauge",
        "Number of currently used workers per controller");
    sorted.forEach((c, s) -> text.sample("controller_runtime_active_workers", s.active.get(), "controller", c));
    text.family("controller_runtime_max_concurrent_reconciles", "gauge",
        "Maximum number of concurrent reconciles per controller");
    sorted.forEach((c, s) -> text.sample("controller_runtime_max_concurrent_reconciles", concurrency, "controller", c));
  }
}
