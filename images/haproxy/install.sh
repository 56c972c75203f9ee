#!/bin/sh
# Runs inside the build container, with the host's apt sources bind-mounted read-only.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get -o Acquire::Check-Valid-Until=false update -qq
apt-get install -y -qq --no-install-recommends haproxy procps >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/*
mkdir -p /usr/local/etc/haproxy /var/run
cp /tmp/haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg
