package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A control plane of kubeadm-bootstrapped Machines with stacked or external etcd (upstream's KCP). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Group("controlplane.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("KubeadmControlPlane")
@Plural("kubeadmcontrolplanes")
@Singular("kubeadmcontrolplane")
@ShortNames("kcp")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Cluster")
@AdditionalPrinterColumn(
    name = "Available",
    jsonPath = ".status.conditions[?(@.type==\"Available\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Cluster pass all availability checks")
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".spec.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "The desired number of machines")
@AdditionalPrinterColumn(
    name = "Current",
    jsonPath = ".status.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "The number of machines")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "The number of machines with Ready condition true")
@AdditionalPrinterColumn(
    name = "Available",
    jsonPath = ".status.availableReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "The number of machines with Available condition true")
@AdditionalPrinterColumn(
    name = "Up-to-date",
    jsonPath = ".status.upToDateReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "The number of machines with UpToDate condition true")
@AdditionalPrinterColumn(
    name = "Paused",
    jsonPath = ".status.conditions[?(@.type==\"Paused\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 10,
    getDescription = "Reconciliation paused")
@AdditionalPrinterColumn(
    name = "Initialized",
    jsonPath = ".status.initialization.controlPlaneInitialized",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    getDescription = "This denotes whether or not the control plane can accept requests")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of KubeadmControlPlane")
@AdditionalPrinterColumn(
    name = "Version",
    jsonPath = ".spec.version",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Kubernetes version associated with this control plane")
public class KubeadmControlPlane extends CustomResource<KubeadmControlPlaneSpec, KubeadmControlPlaneStatus>
    implements Namespaced {
  /** The finalizer KCP puts on its own object. */
  public static final String FINALIZER = "kubeadm.controlplane.cluster.x-k8s.io";

  /** When present, KCP does not reconcile CoreDNS (and the CoreDNS migration check is skipped). */
  public static final String SKIP_COREDNS_ANNOTATION = "controlplane.cluster.x-k8s.io/skip-coredns";

  /** When present, KCP does not reconcile kube-proxy. */
  public static final String SKIP_KUBE_PROXY_ANNOTATION = "controlplane.cluster.x-k8s.io/skip-kube-proxy";

  /** On the KCP between deleting an unhealthy Machine and creating its replacement. */
  public static final String REMEDIATION_IN_PROGRESS_ANNOTATION =
      "controlplane.cluster.x-k8s.io/remediation-in-progress";

  /** On a replacement Machine: which unhealthy Machine (first of a retry sequence) it replaces. */
  public static final String REMEDIATION_FOR_ANNOTATION = "controlplane.cluster.x-k8s.io/remediation-for";

  /** Pre-terminate hook on KCP Machines, so the etcd member is removed right before the InfraMachine goes. */
  public static final String PRE_TERMINATE_HOOK_CLEANUP_ANNOTATION =
      "pre-terminate.delete.hook.machine.cluster.x-k8s.io/kcp-cleanup";

  /** {@code spec.remediation.minHealthyPeriodSeconds} when unset (1h). */
  public static final int DEFAULT_MIN_HEALTHY_PERIOD_SECONDS = 60 * 60;

  /** Upstream's schema requires spec. */
  @Override
  @Required
  public KubeadmControlPlaneSpec getSpec() {
    return super.getSpec();
  }
}
