package io.capdjava.api.core.v1beta2;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** CAPI core's MachineSet, which keeps a number of identical Machines; its CRD is upstream's. */
@Group("cluster.x-k8s.io")
@Version("v1beta2")
@Kind("MachineSet")
@Plural("machinesets")
public class MachineSet extends CustomResource<MachineSetSpec, MachineSetStatus> implements Namespaced {}
