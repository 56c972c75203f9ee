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

/** The kubeadm bootstrap configuration of one Machine; CABPK turns it into the Machine's bootstrap data Secret. */
@Group("bootstrap.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("KubeadmConfig")
@Plural("kubeadmconfigs")
@Singular("kubeadmconfig")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Cluster")
@AdditionalPrinterColumn(
    name = "Paused",
    jsonPath = ".status.conditions[?(@.type==\"Paused\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 10,
    getDescription = "Reconciliation paused")
@AdditionalPrinterColumn(
    name = "Data secret created",
    jsonPath = ".status.initialization.dataSecretCreated",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Boostrap secret is created")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of KubeadmConfig")
public class KubeadmConfig extends CustomResource<KubeadmConfigSpec, KubeadmConfigStatus> implements Namespaced {}
