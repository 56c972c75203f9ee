package io.capdjava.api.bootstrap.v1beta2;

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

/** A KubeadmConfig blueprint that MachineDeployments, MachinePools and ClusterClasses stamp out per Machine. */
@Group("bootstrap.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("KubeadmConfigTemplate")
@Plural("kubeadmconfigtemplates")
@Singular("kubeadmconfigtemplate")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "ClusterClass",
    jsonPath = ".metadata.ownerReferences[?(@.kind==\"ClusterClass\")].name",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Name of the ClusterClass owning this template")
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".metadata.ownerReferences[?(@.kind==\"Cluster\")].name",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Name of the Cluster owning this template")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of KubeadmConfigTemplate")
public class KubeadmConfigTemplate extends CustomResource<KubeadmConfigTemplateSpec, Void> implements Namespaced {}
