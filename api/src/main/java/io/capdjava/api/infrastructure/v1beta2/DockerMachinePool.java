package io.capdjava.api.infrastructure.v1beta2;

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

/** The infrastructure of a MachinePool (deprecated in upstream v1.14 for DevMachinePool): node containers, one DockerMachine each. */
@Group("infrastructure.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("DockerMachinePool")
@Plural("dockermachinepools")
@Singular("dockermachinepool")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of DockerMachinePool")
public class DockerMachinePool extends CustomResource<DockerMachinePoolSpec, DockerMachinePoolStatus> implements Namespaced {}
