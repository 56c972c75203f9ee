package io.capdjava.api.core.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.capdjava.api.schema.Enum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An address of a machine (upstream {@code clusterv1.MachineAddress}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineAddress {
  public static final String HOSTNAME = "Hostname";
  public static final String EXTERNAL_IP = "ExternalIP";
  public static final String INTERNAL_IP = "InternalIP";
  public static final String EXTERNAL_DNS = "ExternalDNS";
  public static final String INTERNAL_DNS = "InternalDNS";

  @Required
  @Enum({HOSTNAME, EXTERNAL_IP, INTERNAL_IP, EXTERNAL_DNS, INTERNAL_DNS})
  public String type;

  @Required
  @Size(min = 1, max = 256)
  public String address;

  public MachineAddress() {}

  public MachineAddress(String type, String address) {
    this.type = type;
    this.address = address;
  }
}
