package io.capdjava.controlplane.desired;

import io.capdjava.core.Contract;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API version to use for a versionless reference ({@code apiGroup} + {@code kind}), as CAPI's
 * {@code contract.GetAPIVersion}: the CRD {@code <plural>.<group>} carries the label {@code cluster.x-k8s.io/v1beta2}
 * listing the versions that honour the v1beta2 contract ({@code v1beta1_v1beta2}); the newest one is used.
 */
public final class ContractApiVersions {
  private static final Pattern KUBE_VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

  private ContractApiVersions() {}

  /** Thrown when no CRD, or no contract label, names a version; the message says which. */
  public static final class UnknownApiVersionException extends IllegalStateException {
    UnknownApiVersionException(String message) {
      super(message);
    }
  }

  public static String apiVersion(KubernetesClient client, String group, String kind) {
    String crdName = crdName(group, kind);
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
    if (crd == null) {
      throw new UnknownApiVersionException("CustomResourceDefinition " + crdName + " not found for " + kind + "."
          + group);
    }
    return group + "/" + latestContractVersion(crd.getMetadata().getLabels())
        .orElseThrow(() -> new UnknownApiVersionException("CustomResourceDefinition " + crdName
            + " has no " + Contract.Label.CONTRACT_V1BETA2 + " label naming its API versions"));
  }

  /** Upstream {@code CalculateCRDName}: lower-case plural of the kind, dot, group. */
  public static String crdName(String group, String kind) {
    return plural(kind.toLowerCase(Locale.ROOT)) + "." + group;
  }

  static Optional<String> latestContractVersion(Map<String, String> labels) {
    String versions = labels == null ? null : labels.get(Contract.Label.CONTRACT_V1BETA2);
    if (versions == null || versions.isEmpty()) return Optional.empty();
    return Arrays.stream(versions.split("_")).filter(v -> !v.isEmpty()).max(ContractApiVersions::compareKubeVersions);
  }

  /** Kubernetes API version order: GA above beta above alpha, then by major and minor numbers. */
  static int compareKubeVersions(String a, String b) {
    return Comparator.comparing(ContractApiVersions::rank).compare(a, b);
  }

  private static long rank(String version) {
    Matcher m = KUBE_VERSION.matcher(version);
    if (!m.matches()) return Long.MIN_VALUE;
    long major = Long.parseLong(m.group(1));
    int stability = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
    long minor = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return stability * 1_000_000_000L + major * 10_000L + minor;
  }

  // flect.Pluralize for the kinds providers use: ...Template(s), ...Machine(s), ...Policy/Policies, ...ss/...sses
  private static String plural(String singular) {
    if (singular.endsWith("s") || singular.endsWith("x") || singular.endsWith("ch") || singular.endsWith("sh")) {
      return singular + "es";
    }
    if (singular.endsWith("y") && singular.length() > 1 && "aeiou".indexOf(singular.charAt(singular.length() - 2)) < 0) {
      return singular.substring(0, singular.length() - 1) + "ies";
    }
    return singular + "s";
  }
}
