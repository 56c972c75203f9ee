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
