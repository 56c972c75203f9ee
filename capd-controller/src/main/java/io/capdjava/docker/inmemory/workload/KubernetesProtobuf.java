package io.capdjava.docker.inmemory.workload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of Kubernetes' protobuf encoding to read the small bodies clients send that way for built-in kinds:
 * client-go (controller-runtime's clients, CAPI core's among them) encodes a DELETE's DeleteOptions and an Eviction as
 * {@code application/vnd.kubernetes.protobuf}. A body is the magic {@code k8s\0}, then a {@code runtime.Unknown}
 * (1: typeMeta, 2: raw, 3: contentEncoding, 4: contentType) whose {@code raw} is the object's message.
 */
final class KubernetesProtobuf {
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private KubernetesProtobuf() {}

  /** Preconditions of a DeleteOptions (2: preconditions {1: uid, 2: resourceVersion}); absent ones are null. */
  record Preconditions(String uid, String resourceVersion) {}

  static Preconditions deleteOptionsPreconditions(byte[] body) {
    byte[] preconditions = field(raw(body), 2);
    if (preconditions == null) return new Preconditions(null, null);
    return new Preconditions(string(field(preconditions, 1)), string(field(preconditions, 2)));
  }

  /** metadata.name of an Eviction (1: metadata {1: name}); null when absent. */
  static String evictionName(byte[] body) {
    byte[] metadata = field(raw(body), 1);
    return metadata == null ? null : string(field(metadata, 1));
  }

  private static byte[] raw(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new ApiException(400, "BadRequest", "the protobuf body does not start with the Kubernetes magic");
    }
    byte[] raw = field(Arrays.copyOfRange(body, MAGIC.length, body.length), 2);
    return raw == null ? new byte[0] : raw;
  }

  /** The last length-delimited field with that number of a message (null: absent); other fields are skipped. */
  private static byte[] field(byte[] message, int number) {
    byte[] found = null;
    int[] at = {0};
    while (at[0] < message.length) {
      long key = varint(message, at);
      int wireType = (int) (key & 7);
      switch (wireType) {
        case 0 -> varint(message, at);
        case 1 -> at[0] += 8;
        case 5 -> at[0] += 4;
        case 2 -> {
          long length = varint(message, at);
          if (length < 0 || at[0] + length > message.length) throw malformed();
          if ((key >>> 3) == number) found = Arrays.copyOfRange(message, at[0], at[0] + (int) length);
          at[0] += (int) length;
        }
        default -> throw malformed();
      }
    }
    if (at[0] != message.length) throw malformed();
    return found;
  }

  private static long varint(byte[] message, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= message.length) throw malformed();
      byte b = message[at[0]++];
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return value;
    }
    throw malformed();
  }

  private static String string(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static ApiException malformed() {
    return new ApiException(400, "BadRequest", "malformed protobuf body");
  }
}
