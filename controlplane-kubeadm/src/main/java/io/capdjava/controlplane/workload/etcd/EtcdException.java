package io.capdjava.controlplane.workload.etcd;

/** An etcd call that failed: no connection, a timeout, or etcd's own error ({@code etcdserver: ...}). */
public final class EtcdException extends RuntimeException {
  public EtcdException(String message) {
    super(message);
  }

  public EtcdException(String message, Throwable cause) {
    super(message, cause);
  }
}
