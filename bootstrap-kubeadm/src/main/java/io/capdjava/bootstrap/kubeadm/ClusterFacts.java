package io.capdjava.bootstrap.kubeadm;

/**
 * What the Cluster and Machine add to a ClusterConfiguration (upstream {@code upstream.AdditionalData}): the fields
 * v1beta2 moved out of ClusterConfiguration. Null means "not set".
 */
public record ClusterFacts(
    String kubernetesVersion, String clusterName, String dnsDomain, String serviceSubnet, String podSubnet,
    Integer controlPlaneComponentHealthCheckSeconds) {}
