#!/bin/sh
# Runs inside the node build container (from the Debian base image) with the host's apt sources, the Kubernetes
# binaries (/tmp/bin) and the control-plane images (/tmp/images.tar, an OCI archive) mounted read-only.
set -eu
export DEBIAN_FRONTEND=noninteractive

apt-get -o Acquire::Check-Valid-Until=false update -qq
apt-get install -y -qq --no-install-recommends \
  systemd systemd-sysv dbus iproute2 procps kmod util-linux mount ca-certificates \
  containerd runc containernetworking-plugins iptables conntrack ebtables ethtool socat \
  curl jq >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/*

# systemd in a container (as kind does): no udev, no getty, no tmpfiles cleaning of what Docker mounted
find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
  /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
  /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
echo ReadKMsg=no >>/etc/systemd/journald.conf
systemctl mask systemd-binfmt.service >/dev/null 2>&1
rm -f /etc/machine-id /var/lib/dbus/machine-id
touch /etc/machine-id

# kubeadm, kubelet, kubectl and crictl where upstream's packages put them
for b in kubeadm kubelet kubectl crictl; do install -m 0755 "/tmp/bin/$b" "/usr/bin/$b"; done

# Debian installs the CNI plugins in /usr/lib/cni; /opt/cni/bin is where kubelet tooling and CNI add-ons expect them,
# and where add-ons install their own plugins next to ours
mkdir -p /opt/cni/bin /etc/cni/net.d
for p in /usr/lib/cni/*; do ln -sf "$p" "/opt/cni/bin/$(basename "$p")"; done
# kube-proxy mounts /lib/modules from the node; the host may have none
mkdir -p /lib/modules
# kubelet's static pod directory, which upstream's kubelet package creates (kubeadm join does not)
mkdir -p /etc/kubernetes/manifests

# Preload the control-plane images into containerd's k8s.io namespace (the one the CRI uses). Without unpacking, only
# the content store and metadata are written: plain files that need no overlay mounts in this build container. The CRI
# unpacks an image into the overlayfs snapshotter the first time it creates a container from it, on the node's /var.
mkdir -p /run/containerd-preload
printf 'version = 2\nroot = "/var/lib/containerd"\nstate = "/run/containerd-preload/state"\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "/run/containerd-preload/containerd.sock"\n' \
  >/run/containerd-preload/config.toml
containerd --config /run/containerd-preload/config.toml >/run/containerd-preload/log 2>&1 &
pid=$!
for _ in $(seq 1 50); do [ -S /run/containerd-preload/containerd.sock ] && break; sleep 0.2; done
ctr --address /run/containerd-preload/containerd.sock --namespace k8s.io images import --no-unpack \
  /tmp/images.tar >/dev/null
ctr --address /run/containerd-preload/containerd.sock --namespace k8s.io images ls -q | grep -v '^sha256:' \
  >/run/containerd-preload/images
kill "$pid"
wait "$pid" || true
echo "preloaded:"; sed 's/^/  /' /run/containerd-preload/images
rm -rf /run/containerd-preload
