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

/** A DockerMachinePool blueprint that ClusterClasses stamp out per MachinePool. */
@Group("infrastructure.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("DockerMachinePoolTemplate")
@Plural("dockermachinepooltemplates")
@Singular("dockermachinepooltemplate")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of DockerMachinePoolTemplate")
public class DockerMachinePoolTemplate extends CustomResource<DockerMachinePoolTemplateSpec, Void> implements Namespaced {}
