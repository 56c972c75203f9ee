#!/bin/sh
# Runs inside the build container, with the host's apt sources bind-mounted read-only.
# A Java runtime of only the modules the providers use, made with jlink from Debian's JDK (which is then removed):
# about 60 MB instead of the 230 MB of Debian's full JRE, so the operator images load faster into a management
# cluster. (--strip-debug would need objcopy from binutils; the Java debug attributes are the bulk of it.)
set -e
export DEBIAN_FRONTEND=noninteractive
# what `jdeps --print-module-deps` finds in the three provider jars, plus jdk.crypto.ec, which TLS loads as a
# service (ECDSA certificates: the API server's, the metrics endpoint's) and jdeps cannot see
MODULES=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.security.jgss,java.sql,jdk.httpserver
MODULES=$MODULES,jdk.management,jdk.unsupported,jdk.crypto.ec
apt-get -o Acquire::Check-Valid-Until=false update -qq
# the man page folder must exist for the JDK's alternatives links (minbase drops it)
mkdir -p /usr/share/man/man1
apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless >/dev/null
jlink --add-modules "$MODULES" --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 --output /opt/java
apt-get purge -y -qq --auto-remove openjdk-17-jdk-headless openjdk-17-jre-headless >/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/* /usr/share/man/man1
/opt/java/bin/java -version
# the non-root user the Deployments run as (the uid of upstream's distroless images)
groupadd -g 65532 nonroot
useradd -u 65532 -g 65532 -M -d /nonexistent -s /usr/sbin/nologin nonroot
