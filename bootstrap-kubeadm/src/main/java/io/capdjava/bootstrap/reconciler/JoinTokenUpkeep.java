package io.capdjava.bootstrap.reconciler;

import java.time.Duration;
import java.time.Instant;

/**
 * What to do with the join token of a KubeadmConfig whose bootstrap data exists (upstream's
 * {@code refreshBootstrapTokenIfNeeded}, {@code rotateMachinePoolBootstrapToken} and {@code shouldRotate}), decided
 * from facts only so it can be tested without a cluster.
 *
 * <p>A token is only useful until its Nodes have joined. A Machine's single Node joins once, so its token is extended
 * until then and forgotten after. A MachinePool's instances come later too (scale-ups, replacements), so its token
 * must stay usable for as long as the pool exists: while instances are still joining it is extended in place (they
 * already run with it), and once all have joined it is replaced by a new one, in new bootstrap data, before it gets
 * close to expiring.
 */
final class JoinTokenUpkeep {
  /** Where the owner is in joining its Nodes. */
  enum Stage {
    /** Not all Nodes have joined: the token in the data is in use and must not expire. */
    JOINING,
    /** A MachinePool whose Nodes have all joined: only future instances need a token. */
    POOL_JOINED,
    /** A Machine whose Node has joined: the token is spent. */
    JOINED
  }

  enum Action {
    /** Nothing more to do for this token, ever. */
    NOTHING,
    /** The token is fine; look again in {@link #checkInterval}. */
    CHECK_LATER,
    /** Extend the existing token to a full TTL. */
    EXTEND,
    /** Create a new token and regenerate the bootstrap data with it. */
    ROTATE,
    /** The token of a Machine is gone; a new one would not reach its already started Node. */
    MISSING
  }

  private JoinTokenUpkeep() {}

  static Stage stage(ConfigOwner owner) {
    if (!owner.hasNodeRefs()) return Stage.JOINING;
    return owner.isMachinePool() ? Stage.POOL_JOINED : Stage.JOINED;
  }

  /**
   * @param machinePool whether the owner is a MachinePool
   * @param exists whether the token's secret is in the workload cluster (Kubernetes deletes expired ones)
   * @param expiration its {@code expiration}; null when absent or unreadable
   */
  static Action decide(Stage stage, boolean machinePool, boolean exists, Instant expiration, Instant now, Duration ttl) {
    return switch (stage) {
      case JOINED -> Action.NOTHING;
      case JOINING -> {
        // a pool's data can be regenerated for instances still to come; a Machine's already ran
        if (!exists) yield machinePool ? Action.ROTATE : Action.MISSING;
        yield expiration != null && expiration.isAfter(now.plus(skipRefreshIfExpiringAfter(ttl)))
            ? Action.CHECK_LATER : Action.EXTEND;
      }
      case POOL_JOINED -> {
        // upstream fails (and retries forever) on an expiration it cannot parse; a token whose lifetime cannot be
        // read cannot be counted on for the next scale-up either, so it is replaced like an expiring one
        if (!exists || expiration == null) yield Action.ROTATE;
        yield expiration.isBefore(now.plus(ttl.dividedBy(2))) ? Action.ROTATE : Action.CHECK_LATER;
      }
    };
  }

  /**
   * A token still valid beyond {@code now + ttl * 5/6} needs no refresh: with a check every {@code ttl / 3} it gets
   * at least two chances to be extended (one may fail) before it expires.
   */
  static Duration skipRefreshIfExpiringAfter(Duration ttl) {
    return ttl.multipliedBy(5).dividedBy(6);
  }

  /** How often a token in use is looked at: three times per lifetime, as upstream. */
  static Duration checkInterval(Duration ttl) {
    return ttl.dividedBy(3);
  }
}
