package io.capdjava.core.certs;

import java.security.KeyPair;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Key pairs made ahead of need. A new cluster asks for five or six RSA-2048 keys one after another (its four CAs, the
 * service-account key, the kubeconfig's client key), and one such key costs about 0.15 s of CPU with C2 but 0.9 s
 * under C1 alone (no BigInteger intrinsics), the JIT the providers run with for a small start-up: seconds on the
 * critical path of every cluster's creation. So once a process has been asked for a key, a background thread keeps
 * {@code target} ready, and later asks take one at once; an ask that finds none generates its own without waiting, so
 * a burst runs on two threads instead of one. A process never asked pays nothing. The keys are as fresh as any (the
 * same generator, the same SecureRandom), only made a little earlier, and live only in this process's memory, as
 * every key in use does.
 */
final class KeyReserve {
  private final String name;
  private final int target;
  private final Supplier<KeyPair> generator;
  private final ConcurrentLinkedQueue<KeyPair> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean filling = new AtomicBoolean();

  KeyReserve(String name, int target, Supplier<KeyPair> generator) {
    this.name = name;
    this.target = target;
    this.generator = generator;
  }

  /** A key from the reserve, or a new one made now when the reserve is empty; the reserve fills again behind. */
  KeyPair take() {
    KeyPair key = ready.poll();
    if (key != null) size.decrementAndGet();
    fill();
    return key != null ? key : generator.get();
  }

  /** Keys ready now. */
  int size() {
    return size.get();
  }

  private void fill() {
    if (size.get() >= target || !filling.compareAndSet(false, true)) return;
    Thread filler = new Thread(() -> {
      try {
        while (size.get() < target) {
          ready.add(generator.get());
          size.incrementAndGet();
        }
      } finally {
        filling.set(false);
      }
      // a take between the last check and the reset above found the filler still running
      if (size.get() < target) fill();
    }, "key-reserve-" + name);
    filler.setDaemon(true);
    filler.setPriority(Thread.MIN_PRIORITY);
    filler.start();
  }
}
