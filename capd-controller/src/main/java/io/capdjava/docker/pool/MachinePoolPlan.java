package io.capdjava.docker.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a machine pool's reconcile does next, decided from what exists (upstream CAPD's MachinePool rules, as a pure
 * function so they can be tested alone):
 * <ul>
 *   <li>instances are created until as many run the wanted image as there are wanted replicas;
 *   <li>a container without an infrastructure machine gets one; an infrastructure machine whose container is gone is
 *       removed (through its Machine when it has one);
 *   <li>only when more instances are ready than wanted are any removed: outdated ones (another image: a version or
 *       customImage change) first, then those whose Machine carries {@code cluster.x-k8s.io/delete-machine}, then
 *       the newest; never more than the surplus of ready ones, so a rollout never drops below the wanted count.
 * </ul>
 * Unlike upstream, instances already being deleted neither count as ready nor get picked again, so a slow deletion
 * cannot make a later pass remove one instance too many.
 */
public final class MachinePoolPlan {
  /**
   * One instance as observed: its container (or none) and its infrastructure machine (or none).
   *
   * @param image the container's image; null when there is no container
   * @param hasMachine whether an infrastructure machine (DockerMachine/DevMachine) exists for it
   * @param ready whether that machine is provisioned
   * @param deleting whether it or its Machine is being deleted
   * @param deleteAnnotation whether its Machine carries {@code cluster.x-k8s.io/delete-machine}
   * @param created when the container was created (for "newest first"); any comparable order works
   */
  public record Instance(String name, String image, boolean hasMachine, boolean ready, boolean deleting,
      boolean deleteAnnotation, String created) {
    boolean hasContainer() {
      return image != null;
    }
  }

  /** The actions: containers to create, machines to create for containers, machines to delete (by instance name). */
  public record Actions(int containersToCreate, List<String> machinesToCreate, List<String> machinesToDelete) {}

  private MachinePoolPlan() {}

  public static Actions decide(int wantedReplicas, String wantedImage, List<Instance> instances) {
    List<Instance> live = instances.stream().filter(i -> !i.deleting()).toList();
    long matching = live.stream().filter(i -> i.hasContainer() && wantedImage.equals(i.image())).count();
    int containersToCreate = (int) Math.max(0, wantedReplicas - matching);

    List<String> machinesToCreate = live.stream().filter(i -> i.hasContainer() && !i.hasMachine())
        .map(Instance::name).toList();
    Set<String> toDelete = new LinkedHashSet<>();
    live.stream().filter(i -> i.hasMachine() && !i.hasContainer()).map(Instance::name).forEach(toDelete::add);

    List<Instance> withBoth = live.stream().filter(i -> i.hasMachine() && i.hasContainer()).toList();
    long ready = withBoth.stream().filter(Instance::ready).count();
    long surplus = ready - wantedReplicas;
    List<Instance> candidates = new ArrayList<>();
    // outdated ones first, whatever their readiness: they are what a rollout replaces
    withBoth.stream().filter(i -> !wantedImage.equals(i.image()))
        .sorted(Comparator.comparing((Instance i) -> !i.deleteAnnotation()).thenComparing(Instance::created))
        .forEach(candidates::add);
    withBoth.stream().filter(i -> wantedImage.equals(i.image()) && i.ready())
        .sorted(Comparator.comparing((Instance i) -> !i.deleteAnnotation())
            .thenComparing(Instance::created, Comparator.reverseOrder()))
        .forEach(candidates::add);
    for (Instance i : candidates) {
      if (surplus <= 0) break;
      toDelete.add(i.name());
      surplus--;
    }
    return new Actions(containersToCreate, machinesToCreate, List.copyOf(toDelete));
  }
}
