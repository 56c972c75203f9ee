package io.capdjava.api.infrastructure.v1beta2;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The infrastructure of one Machine: a kindest/node container that runs the node. */
@Group("infrastructure.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("DockerMachine")
@Plural("dockermachines")
@Singular("dockermachine")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@ValidationRule(
    value = "(has(self.spec) && has(self.spec.customImage) ? self.spec.customImage : '')"
        + " == (has(oldSelf.spec) && has(oldSelf.spec.customImage) ? oldSelf.spec.customImage : '')",
    message = "spec.customImage cannot be modified",
    fieldPath = ".spec.customImage",
    reason = "FieldValueForbidden")
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Cluster")
@AdditionalPrinterColumn(
    name = "Provider ID",
    jsonPath = ".spec.providerID",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 10,
    getDescription = "Provider ID")
@AdditionalPrinterColumn(
    name = "Failure domain",
    jsonPath = ".status.failureDomain",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The failure domain where the VSphereMachine has been scheduled")
@AdditionalPrinterColumn(
    name = "IP",
    jsonPath = ".status.addresses[?(@.type==\"InternalIP\")].address",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 10,
    getDescription = "IP of the Machine")
@AdditionalPrinterColumn(
    name = "Paused",
    jsonPath = ".status.conditions[?(@.type==\"Paused\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 10,
    getDescription = "Reconciliation paused")
@AdditionalPrinterColumn(
    name = "Provisioned",
    jsonPath = ".status.initialization.provisioned",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "DockerMachine is provisioned")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of DockerMachine")
public class DockerMachine extends CustomResource<DockerMachineSpec, DockerMachineStatus> implements Namespaced {}
