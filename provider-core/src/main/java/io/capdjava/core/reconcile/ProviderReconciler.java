package io.capdjava.core.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.capdjava.api.core.v1beta2.Cluster;
import io.capdjava.core.Conditions;
import io.capdjava.core.Contract;
import io.capdjava.core.CrashPoints;
import io.capdjava.core.Finalizers;
import io.capdjava.core.Paused;
import io.capdjava.core.StatusPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shape of our reconcilers, so that pausing, moving, deleting and failing behave alike everywhere:
 * <ol>
 *   <li><b>observe</b> ({@link #observe}): the owners and objects the reconcile works with, or what it waits for;
 *   <li>an object being deleted with {@code clusterctl.cluster.x-k8s.io/delete-for-move} is <b>released</b>: its
 *       finalizer goes, nothing it made is touched (the objects live on in the target management cluster);
 *   <li><b>pause</b>, before deletion too: clusterctl pauses a cluster before it deletes the moved objects;
 *   <li><b>delete</b> ({@link #reconcileDelete}, {@code Deleting=True} while it lasts) or <b>validate</b> and
 *       <b>reconcile</b> ({@link #reconcileNormal});
 *   <li><b>record</b>: {@code Ready} summarised from the phase conditions, the status patched only when it changed.
 * </ol>
 * A failure becomes a condition instead of a raw stack trace ({@link PhaseFailure} names which; anything else is
 * {@code Ready=False, InternalError}), a Warning event, and a retry with {@link ReconcileBackoff} that never gives up.
 *
 * @param <R> the kind reconciled
 * @param <S> what {@link #observe} finds for one object
 */
public abstract class ProviderReconciler<R extends CustomResource<?, ?>, S> implements Reconciler<R> {
  /** What {@link #observe} found: the scope and the object's Cluster (null when unknown), or what is missing. */
  public record Observation<S>(S scope, Cluster cluster, String waitingFor) {
    public static <S> Observation<S> found(S scope, Cluster cluster) {
      return new Observation<>(scope, cluster, null);
    }

    /** Nothing to do until {@code what} exists; an event brings the next reconcile. */
    public static <S> Observation<S> waitingFor(String what) {
      return new Observation<>(null, null, what);
    }

    boolean waiting() {
      return waitingFor != null;
    }
  }

  protected final KubernetesClient client;
  protected final EventRecorder events;
  private final Logger log = LoggerFactory.getLogger(getClass());

  protected ProviderReconciler(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Reads what the reconcile needs; must succeed for an object being deleted even when its owners are gone. */
  protected abstract Observation<S> observe(R resource, Context<R> context);

  /** The finalizer that keeps the object until what it made is removed; null for kinds without one. */
  protected abstract String finalizer();

  /** The status's condition list (the status created if missing); changes to it are recorded. */
  protected abstract List<Condition> conditions(R resource);

  /** The condition types {@code Ready} summarises, in the order its message lists them. */
  protected abstract String[] readySummarises();

  /** The condition types {@code Ready} of this object summarises (kinds with several backends differ per object). */
  protected String[] readySummarises(R resource) {
    return readySummarises();
  }

  /** Creates or converges what the object stands for; a delay means "look again then". */
  protected abstract Optional<Duration> reconcileNormal(S scope);

  /** Removes what the object made; empty when all is gone and the finalizer may be removed. */
  protected abstract Optional<Duration> reconcileDelete(S scope);

  /** Checks the spec before anything is made; throws a {@link PhaseFailure} naming the field. */
  protected void validate(S scope) {}

  /** Drops in-memory state kept for an object that is gone or released. */
  protected void forget(R resource) {}

  @Override
  public final UpdateControl<R> reconcile(R resource, Context<R> context) {
    if (context.isPrimaryResourceDeleted()) return UpdateControl.noUpdate();
    JsonNode before = StatusPatch.snapshot(resource);
    Long generation = resource.getMetadata().getGeneration();
    if (resource.isMarkedForDeletion() && deleteForMove(resource)) {
      if (finalizer() != null) Finalizers.remove(client, resource, finalizer());
      forget(resource);
      log.info("{}: released for clusterctl move; what it made stays for the target management cluster",
          name(resource));
      return UpdateControl.noUpdate();
    }

    Observation<S> observed = observe(resource, context);
    if (observed.waiting()) {
      log.debug("{}: waiting for {}", name(resource), observed.waitingFor());
      return StatusPatch.ifChanged(before, resource);
    }
    List<Condition> conditions = conditions(resource);
    Conditions.set(conditions, Paused.condition(observed.cluster(), resource));
    if (Paused.isPaused(observed.cluster(), resource)) return StatusPatch.ifChanged(before, resource);

    Optional<Duration> requeue;
    if (resource.isMarkedForDeletion()) {
      Conditions.set(conditions, Conditions.of(Contract.Condition.DELETING, Conditions.TRUE,
          Contract.Condition.DELETING_REASON, "", generation));
      requeue = reconcileDelete(observed.scope());
      if (requeue.isEmpty()) {
        CrashPoints.reach(resource.getKind(), "deleted");
        if (finalizer() != null) Finalizers.remove(client, resource, finalizer());
        events.normal(resource, "Deleted", resource.getKind() + " " + resource.getMetadata().getName()
            + " and what it made are removed");
        events.forget(resource);
        forget(resource);
        return UpdateControl.noUpdate();
      }
    } else {
      ensureFinalizer(resource);
      validate(observed.scope());
      requeue = reconcileNormal(observed.scope());
      CrashPoints.reach(resource.getKind(), "reconciled");
    }
    // the phases may have changed the spec (a new generation): what this pass observed is that generation
    Long observedGeneration = resource.getMetadata().getGeneration();
    Conditions.set(conditions, Paused.condition(observed.cluster(), resource));
    Conditions.set(conditions, Conditions.summary(conditions, observedGeneration, readySummarises(resource)));
    UpdateControl<R> update = StatusPatch.ifChanged(before, resource);
    return requeue.map(update::rescheduleAfter).orElse(update);
  }

  /**
   * A failed reconcile: the failure as a condition (the phase's, or {@code Ready=False, InternalError}) with a message
   * a user can act on, and a Warning event; JOSDK then retries with {@link ReconcileBackoff}.
   */
  @Override
  public final ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
    // deleted while it was reconciled (its finalizer was just removed): there is no status left to record into
    if (deletedMeanwhile(e, resource)) return ErrorStatusUpdateControl.noStatusUpdate();
    // a write raced another (the object changed since it was read): the next reconcile, imminent, reads it anew;
    // nothing a user must act on
    if (conflict(e)) return ErrorStatusUpdateControl.noStatusUpdate();
    Long generation = resource.getMetadata().getGeneration();
    List<Condition> conditions = conditions(resource);
    String reason;
    String message = FailureMessage.of(e);
    if (e instanceof PhaseFailure phase) {
      reason = phase.reason();
      Conditions.set(conditions, Conditions.of(phase.conditionType(), phase.conditionStatus(), reason, message,
          generation));
      if (!Contract.Condition.READY.equals(phase.conditionType())) {
        Conditions.set(conditions, Conditions.summary(conditions, generation, readySummarises(resource)));
      }
    } else {
      reason = Contract.Condition.INTERNAL_ERROR_REASON;
      Conditions.set(conditions, Conditions.isFalse(Contract.Condition.READY, reason, message, generation));
    }
    log.warn("{}: {} (retried with backoff)", name(resource), message);
    events.warning(resource, reason, message);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  private void ensureFinalizer(R resource) {
    if (finalizer() == null || Finalizers.has(resource, finalizer())) return;
    HasMetadata updated = Finalizers.ensure(client, resource, finalizer());
    // the scope holds this object: keep it, with the server's finalizers and version, so the status patch applies
    resource.getMetadata().setFinalizers(updated.getMetadata().getFinalizers());
    resource.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    CrashPoints.reach(resource.getKind(), "finalizer-added");
  }

  private static boolean deleteForMove(HasMetadata resource) {
    return resource.getMetadata().getAnnotations() != null
        && resource.getMetadata().getAnnotations().containsKey(Contract.Annotation.DELETE_FOR_MOVE);
  }

  private static boolean conflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) return true;
    }
    return false;
  }

  private static boolean deletedMeanwhile(Throwable e, HasMetadata resource) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 404 && k.getStatus() != null
          && k.getStatus().getDetails() != null
          && resource.getMetadata().getName().equals(k.getStatus().getDetails().getName())) {
        return true;
      }
    }
    return false;
  }

  protected static String name(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}
