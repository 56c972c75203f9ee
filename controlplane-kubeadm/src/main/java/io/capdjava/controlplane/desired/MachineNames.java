package io.capdjava.controlplane.desired;

import java.security.SecureRandom;
import java.util.regex.Matcher;

/**
 * Names of new control plane Machines from {@code spec.machineNaming.template} (default
 * {@code {{ .kubeadmControlPlane.name }}-{{ .random }}}) with upstream's variables {@code .cluster.name},
 * {@code .kubeadmControlPlane.name} and {@code .random} (5 characters of Kubernetes' name alphabet). Names longer than
 * 63 characters are cut to 58 and get 5 random characters.
 */
public final class MachineNames {
  public static final String DEFAULT_TEMPLATE = "{{ .kubeadmControlPlane.name }}-{{ .random }}";
  static final String RANDOM = "{{ .random }}";
  // k8s.io/apimachinery/pkg/util/rand: no vowels, no confusable characters
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom SOURCE = new SecureRandom();

  private MachineNames() {}

  /** Thrown for a template the generator cannot use; the message names the field. */
  public static final class InvalidTemplateException extends IllegalArgumentException {
    InvalidTemplateException(String message) {
      super(message);
    }
  }

  public static String generate(String template, String clusterName, String kcpName) {
    String t = template == null || template.isEmpty() ? DEFAULT_TEMPLATE : template;
    if (!t.contains(RANDOM)) {
      throw new InvalidTemplateException("spec.machineNaming.template: {{ .random }} is missing in " + t);
    }
    String name = t.replaceAll("\\{\\{\\s*\\.random\\s*}}", random())
        .replaceAll("\\{\\{\\s*\\.cluster\\.name\\s*}}", Matcher.quoteReplacement(clusterName))
        .replaceAll("\\{\\{\\s*\\.kubeadmControlPlane\\.name\\s*}}",
            Matcher.quoteReplacement(kcpName));
    if (name.contains("{{")) {
      throw new InvalidTemplateException("spec.machineNaming.template: unknown variable in " + t
          + " (known: .cluster.name, .kubeadmControlPlane.name, .random)");
    }
    if (name.length() > 63) name = name.substring(0, 58) + random();
    return name;
  }

  static String random() {
    StringBuilder s = new StringBuilder(5);
    for (int i = 0; i < 5; i++) s.append(ALPHABET.charAt(SOURCE.nextInt(ALPHABET.length())));
    return s.toString();
  }
}
