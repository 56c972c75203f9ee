package io.capdjava.docker.runtime;

/** Whether an IPv4 address lies in a subnet written as CIDR ({@code 172.18.0.0/16}). */
public final class Ipv4Subnet {
  private Ipv4Subnet() {}

  public static boolean contains(String cidr, String address) {
    int slash = cidr.indexOf('/');
    if (slash < 0) return false;
    long network = parse(cidr.substring(0, slash));
    long host = parse(address);
    if (network < 0 || host < 0) return false;
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (network & mask) == (host & mask);
  }

  /**
   * The lowest host address of the subnet that is not {@code used} (the network and broadcast addresses never are),
   * as the engine's own allocator would hand out; empty when the subnet is full or not a dotted IPv4 CIDR.
   */
  public static java.util.Optional<String> firstFree(String cidr, java.util.Set<String> used) {
    int slash = cidr.indexOf('/');
    if (slash < 0) return java.util.Optional.empty();
    long network = parse(cidr.substring(0, slash));
    if (network < 0) return java.util.Optional.empty();
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    if (bits > 30) return java.util.Optional.empty();
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    long first = (network & mask) + 1;
    long last = (network & mask) + (~mask & 0xFFFFFFFFL) - 1;
    for (long host = first; host <= last; host++) {
      String address = format(host);
      if (!used.contains(address)) return java.util.Optional.of(address);
    }
    return java.util.Optional.empty();
  }

  private static String format(long value) {
    return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
  }

  /** The address as a number, or -1 when it is not a dotted IPv4 address. */
  private static long parse(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) return -1;
    long value = 0;
    for (String part : parts) {
      if (!part.matches("\\d{1,3}")) return -1;
      int octet = Integer.parseInt(part);
      if (octet > 255) return -1;
      value = (value << 8) | octet;
    }
    return value;
  }
}
