package io.capdjava.api.core.v1beta2;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * CAPI core's MachinePool: a group of worker nodes the infrastructure provider scales as one (its instances become
 * MachinePool Machines); its CRD is upstream's.
 */
@Group("cluster.x-k8s.io")
@Version("v1beta2")
@Kind("MachinePool")
@Plural("machinepools")
public class MachinePool extends CustomResource<MachinePoolSpec, MachinePoolStatus> implements Namespaced {}
