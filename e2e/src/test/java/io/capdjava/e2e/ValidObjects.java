package io.capdjava.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** One small valid object of every kind we serve, as a user would write it. */
final class ValidObjects {
  private ValidObjects() {}

  static final List<String> ALL =
      List.of(
          """
          apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
          kind: DockerCluster
          metadata: {name: valid}
          spec:
            failureDomains:
            - {name: fd-a, controlPlane: true}
            - {name: fd-b, controlPlane: true}
          """,
          """
          apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
          kind: DockerClusterTemplate
          metadata: {name: valid}
          spec:
            template:
              spec:
                loadBalancer: {imageRepository: kindest, imageTag: v20230606-42a2262b}
          """,
          """
          apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
          kind: DockerMachine
          metadata: {name: valid}
          spec:
            extraMounts:
            - {containerPath: /var/run/docker.sock, hostPath: /var/run/docker.sock}
          """,
          """
          apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
          kind: DockerMachineTemplate
          metadata: {name: valid}
          spec:
            template:
              spec: {customImage: "kindest/node:v1.34.4"}
          """,
          """
          apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
          kind: KubeadmConfig
          metadata: {name: valid}
          spec:
            joinConfiguration:
              nodeRegistration: {criSocket: unix:///var/run/containerd/containerd.sock}
            files:
            - {path: /etc/motd, content: hello, permissions: "0644", owner: "root:root"}
          """,
          """
          apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
          kind: KubeadmConfigTemplate
          metadata: {name: valid}
          spec:
            template:
              spec:
                preKubeadmCommands: [echo hello]
          """,
          """
          apiVersion: controlplane.cluster.x-k8s.io/v1beta2
          kind: KubeadmControlPlane
          metadata: {name: valid}
          spec:
            replicas: 3
            version: v1.34.4
            machineTemplate:
              spec:
                infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachineTemplate, name: cp}
            kubeadmConfigSpec:
              clusterConfiguration:
                apiServer:
                  certSANs: [localhost]
          """,
          """
          apiVersion: controlplane.cluster.x-k8s.io/v1beta2
          kind: KubeadmControlPlaneTemplate
          metadata: {name: valid}
          spec:
            template:
              spec:
                kubeadmConfigSpec:
                  postKubeadmCommands: [echo done]
          """);

  static GenericKubernetesResource parse(String yaml, String namespace) {
    GenericKubernetesResource resource = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    resource.getMetadata().setNamespace(namespace);
    return resource;
  }
}
