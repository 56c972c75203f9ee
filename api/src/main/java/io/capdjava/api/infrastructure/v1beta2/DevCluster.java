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

/**
 * Upstream v1.14's name for the infrastructure of one Cluster, with a backend: {@code docker} (a network and the HAProxy
 * load balancer, as a {@link DockerCluster}) or {@code inMemory} (not served by this provider).
 */
@Group("infrastructure.cluster.x-k8s.io")
@Version(value = "v1beta2", storage = true, served = true)
@Kind("DevCluster")
@Plural("devclusters")
@Singular("devcluster")
@Categories("cluster-api")
@Labels("cluster.x-k8s.io/v1beta2=v1beta2")
@AdditionalPrinterColumn(
    name = "Cluster",
    jsonPath = ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Cluster")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "Time duration since creation of the DevCluster")
public class DevCluster extends CustomResource<DevClusterSpec, DevClusterStatus> implements Namespaced {}
