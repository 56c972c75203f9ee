#!/bin/sh
# Runs inside the build container, with the host's apt sources bind-mounted read-only.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get -o Acquire::Check-Valid-Until=false update -qq
# the man page folder must exist for the JRE's alternatives links (minbase drops it)
mkdir -p /usr/share/man/man1
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/*
# the non-root user the Deployments run as (the uid of upstream's distroless images)
groupadd -g 65532 nonroot
useradd -u 65532 -g 65532 -M -d /nonexistent -s /usr/sbin/nologin nonroot
