package io.capdjava.core.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KeyReserveTest {
  /** Real RSA keys, small so the test is quick; counts how many were made. */
  private static final class Rsa1024 implements Supplier<KeyPair> {
    final AtomicInteger made = new AtomicInteger();

    @Override
    public KeyPair get() {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        made.incrementAndGet();
        return g.generateKeyPair();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void nothingIsMadeBeforeTheFirstAskThenTheReserveFillsBehindIt() throws Exception {
    Rsa1024 generator = new Rsa1024();
    KeyReserve reserve = new KeyReserve("test-fill", 3, generator);
    Thread.sleep(200);
    assertEquals(0, generator.made.get(), "a process never asked makes no key");
    assertEquals(0, reserve.size());

    KeyPair first = reserve.take();
    assertEquals(1024, ((RSAPublicKey) first.getPublic()).getModulus().bitLength());
    waitUntil(() -> reserve.size() == 3);
    Thread.sleep(200);
    assertEquals(4, generator.made.get(), "the first key, then three ahead and no more");

    KeyPair second = reserve.take();
    waitUntil(() -> reserve.size() == 3);
    assertTrue(!modulus(first).equals(modulus(second)));
  }

  @Test
  void noKeyIsHandedOutTwiceWhenManyAskAtOnce() throws Exception {
    KeyReserve reserve = new KeyReserve("test-concurrent", 4, new Rsa1024());
    Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
    ExecutorService askers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> asks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        asks.add(askers.submit(() -> {
          for (int k = 0; k < 10; k++) assertTrue(seen.add(modulus(reserve.take())), "a key handed out twice");
        }));
      }
      for (Future<?> ask : asks) ask.get();
    } finally {
      askers.shutdownNow();
    }
    assertEquals(40, seen.size());
  }

  @Test
  void theDefaultAlgorithmsKeysAreRsa2048AndDistinct() {
    KeyPair a = KeyAlgorithm.RSA_2048.generate();
    KeyPair b = KeyAlgorithm.RSA_2048.generate();
    assertEquals(2048, ((RSAPublicKey) a.getPublic()).getModulus().bitLength());
    assertEquals(2048, ((RSAPublicKey) b.getPublic()).getModulus().bitLength());
    assertTrue(!modulus(a).equals(modulus(b)));
  }

  private static BigInteger modulus(KeyPair key) {
    return ((RSAPublicKey) key.getPublic()).getModulus();
  }

  private static void waitUntil(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.get()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out");
      Thread.sleep(20);
    }
  }
}
