package io.capdjava.api.controlplane.v1beta2;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The KubeadmControlPlane part of a ClusterClass; the topology controller fills in replicas, version and infra. */
// webhook-only: creating one is forbidden unless the ClusterTopology feature gate is enabled
@JsonInclude(JsonInclude.Include.NON_NULL)
@Group("controlplane.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("KubeadmControlPlaneTemplate")
@Plural("kubeadmcontrolplanetemplates")
@Singular("kubeadmcontrolplanetemplate")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "ClusterClass",
    jsonPath = ".metadata.ownerReferences[?(@.kind==\"ClusterClass\")].name",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Name of the ClusterClass owning this template")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of KubeadmControlPlaneTemplate")
public class KubeadmControlPlaneTemplate extends CustomResource<KubeadmControlPlaneTemplateSpec, Void>
    implements Namespaced {}
