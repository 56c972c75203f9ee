#!/bin/sh
# Runs in a container from the Debian base image with the host's apt sources mounted under /tmp/apt: what kube-proxy
# runs besides itself (iptables-save/-restore in iptables mode, nft for its nftables-mode cleanup, conntrack).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt_opts="-o Dir::Etc::SourceParts=/tmp/apt -o Dir::Etc::SourceList=/dev/null -o Acquire::Check-Valid-Until=false"
apt-get $apt_opts update -qq
apt-get $apt_opts install -y -qq --no-install-recommends iptables nftables conntrack >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/*.log /usr/share/doc /usr/share/man /usr/share/info
