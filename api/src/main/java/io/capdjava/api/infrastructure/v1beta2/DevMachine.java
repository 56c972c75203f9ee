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

/**
 * Upstream v1.14's name for the infrastructure of one Machine, with a backend: {@code docker} (a node container, as a
 * {@link DockerMachine}) or {@code inMemory} (not served by this provider).
 */
@Group("infrastructure.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("DevMachine")
@Plural("devmachines")
@Singular("devmachine")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@ValidationRule(
    value = "(has(self.spec) && has(self.spec.backend) && has(self.spec.backend.docker)"
        + " && has(self.spec.backend.docker.customImage) ? self.spec.backend.docker.customImage : '')"
        + " == (has(oldSelf.spec) && has(oldSelf.spec.backend) && has(oldSelf.spec.backend.docker)"
        + " && has(oldSelf.spec.backend.docker.customImage) ? oldSelf.spec.backend.docker.customImage : '')",
    message = "spec.backend.docker.customImage cannot be modified",
    fieldPath = ".spec.backend.docker.customImage",
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
    getDescription = "DevMachine is provisioned")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of the DevMachine")
public class DevMachine extends CustomResource<DevMachineSpec, DevMachineStatus> implements Namespaced {}
