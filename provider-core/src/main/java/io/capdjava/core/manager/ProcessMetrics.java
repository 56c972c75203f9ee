package io.capdjava.core.manager;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The process_* gauges every Prometheus client exports (from /proc on Linux), plus the JVM's heap use. */
final class ProcessMetrics {
  private static final long PAGE_SIZE = 4096;

  private ProcessMetrics() {}

  static void render(PrometheusText text) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      text.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
          .sample("process_cpu_seconds_total", os.getProcessCpuTime() / 1e9);
    }
    text.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.")
        .sample("process_start_time_seconds", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    residentBytes().ifPresent(bytes -> text
        .family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
        .sample("process_resident_memory_bytes", bytes));
    Path fds = Path.of("/proc/self/fd");
    if (Files.isDirectory(fds)) {
      try (Stream<Path> open = Files.list(fds)) {
        text.family("process_open_fds", "gauge", "Number of open file descriptors.")
            .sample("process_open_fds", open.count());
      } catch (IOException e) {
        // not on this platform: leave the gauge out
      }
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    text.family("jvm_memory_used_bytes", "gauge", "Used bytes of a given JVM memory area.")
        .sample("jvm_memory_used_bytes", heap.getUsed(), "area", "heap")
        .sample("jvm_memory_used_bytes", nonHeap.getUsed(), "area", "nonheap");
  }

  /** The second field of /proc/self/statm counts resident pages. */
  private static java.util.OptionalDouble residentBytes() {
    try {
      String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
      return java.util.OptionalDouble.of(Long.parseLong(statm[1]) * (double) PAGE_SIZE);
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalDouble.empty();
    }
  }
}
