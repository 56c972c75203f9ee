package io.capdjava.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Runs the kubeadm control plane provider against the cluster of the current KUBECONFIG (or in-cluster config).
 * {@code --namespace <ns>} (repeatable) limits it to those namespaces; by default it watches all.
 */
public final class ControlPlaneProviderMain {
  private ControlPlaneProviderMain() {}

  public static void main(String[] args) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--namespace") && i + 1 < args.length) {
        namespaces.add(args[++i]);
      } else if (args[i].startsWith("--namespace=")) {
        namespaces.add(args[i].substring("--namespace=".length()));
      } else {
        System.err.println("unknown argument: " + args[i] + " (usage: [--namespace <ns>]...)");
        System.exit(2);
      }
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    ControlPlaneOperator operator = new ControlPlaneOperator(client, namespaces, true);
    Runtime.getRuntime().addShutdownHook(new Thread(operator::close, "controlplane-shutdown"));
    operator.start();
  }
}
