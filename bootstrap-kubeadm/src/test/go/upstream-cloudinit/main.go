// Upstream CAPI v1.14.2 renders the inputs of CloudInitGoldenTest; see go.mod for how to run it.
package main

import (
	"fmt"
	"os"

	"github.com/blang/semver/v4"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	bootstrapv1 "sigs.k8s.io/cluster-api/api/bootstrap/kubeadm/v1beta2"
	"sigs.k8s.io/cluster-api/bootstrap/kubeadm/pkg/cloudinit"
	kubeadmtypes "sigs.k8s.io/cluster-api/bootstrap/kubeadm/pkg/types"
	"sigs.k8s.io/cluster-api/bootstrap/kubeadm/pkg/types/upstream"
	"sigs.k8s.io/cluster-api/util/certs"
	"sigs.k8s.io/cluster-api/util/secret"
)

const eviction = "nodefs.available<0%,nodefs.inodesFree<0%,imagefs.available<0%"
const hash = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func pem(kind, body string) []byte {
	return []byte("-----BEGIN " + kind + "-----\n" + body + "\n-----END " + kind + "-----\n")
}

func certificates() secret.Certificates {
	c := secret.NewCertificatesForInitialControlPlane(nil)
	c.GetByPurpose(secret.ClusterCA).KeyPair = &certs.KeyPair{Cert: pem("CERTIFICATE", "CLUSTERCA"), Key: pem("RSA PRIVATE KEY", "CLUSTERCAKEY")}
	c.GetByPurpose(secret.EtcdCA).KeyPair = &certs.KeyPair{Cert: pem("CERTIFICATE", "ETCDCA"), Key: pem("RSA PRIVATE KEY", "ETCDCAKEY")}
	c.GetByPurpose(secret.FrontProxyCA).KeyPair = &certs.KeyPair{Cert: pem("CERTIFICATE", "FRONTPROXYCA"), Key: pem("RSA PRIVATE KEY", "FRONTPROXYCAKEY")}
	c.GetByPurpose(secret.ServiceAccount).KeyPair = &certs.KeyPair{Cert: pem("PUBLIC KEY", "SERVICEACCOUNTPUB"), Key: pem("RSA PRIVATE KEY", "SERVICEACCOUNTKEY")}
	return c
}

func nodeReg() bootstrapv1.NodeRegistrationOptions {
	return bootstrapv1.NodeRegistrationOptions{CRISocket: "unix:///var/run/containerd/containerd.sock",
		KubeletExtraArgs: []bootstrapv1.Arg{{Name: "eviction-hard", Value: ptr.To(eviction)}}}
}

func join() bootstrapv1.JoinConfiguration {
	return bootstrapv1.JoinConfiguration{NodeRegistration: nodeReg(), Discovery: bootstrapv1.Discovery{BootstrapToken: bootstrapv1.BootstrapTokenDiscovery{
		Token: "abcdef.0123456789abcdef", APIServerEndpoint: "172.18.0.3:6443", CACertHashes: []string{hash}}}}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
func mustS(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func main() {
	dir := os.Args[1]
	for _, v := range []string{"1.30.5", "1.34.1"} {
		ver := semver.MustParse(v)
		minor := fmt.Sprintf("v%d.%d", ver.Major, ver.Minor)
		cc := bootstrapv1.ClusterConfiguration{ControlPlaneEndpoint: "172.18.0.3:6443",
			APIServer:         bootstrapv1.APIServer{CertSANs: []string{"localhost", "127.0.0.1"}},
			ControllerManager: bootstrapv1.ControllerManager{ExtraArgs: []bootstrapv1.Arg{{Name: "enable-hostpath-provisioner", Value: ptr.To("true")}}}}
		data := &upstream.AdditionalData{KubernetesVersion: ptr.To("v" + v), ClusterName: ptr.To("demo"), DNSDomain: ptr.To("cluster.local"),
			ServiceSubnet: ptr.To("10.128.0.0/12"), PodSubnet: ptr.To("192.168.0.0/16")}
		init := bootstrapv1.InitConfiguration{NodeRegistration: nodeReg()}
		out := must(cloudinit.NewInitControlPlane(&cloudinit.ControlPlaneInput{
			BaseUserData: cloudinit.BaseUserData{
				AdditionalFiles:     []bootstrapv1.File{{Path: "/etc/motd", Owner: "root:root", Permissions: "0644", Content: "hello\n"}},
				PreKubeadmCommands:  []string{"echo pre"},
				PostKubeadmCommands: []string{"echo post"},
				Users:               []bootstrapv1.User{{Name: "capi", Sudo: "ALL=(ALL) NOPASSWD:ALL", SSHAuthorizedKeys: []string{"ssh-ed25519 AAAA test"}}},
				NTP:                 &bootstrapv1.NTP{Enabled: ptr.To(true), Servers: []string{"time.example.com"}},
			},
			Certificates:         certificates(),
			ClusterConfiguration: mustS(kubeadmtypes.MarshalClusterConfigurationForVersion(&cc, ver, data)),
			InitConfiguration:    mustS(kubeadmtypes.MarshalInitConfigurationForVersion(&init, ver)),
		}))
		os.WriteFile(dir+"/init-"+minor+".yaml", out, 0o644)

		cpj := join()
		cpj.ControlPlane = &bootstrapv1.JoinControlPlane{}
		out = must(cloudinit.NewJoinControlPlane(&cloudinit.ControlPlaneJoinInput{
			Certificates:      certificates(),
			JoinConfiguration: mustS(kubeadmtypes.MarshalJoinConfigurationForVersion(&cpj, ver)),
		}))
		os.WriteFile(dir+"/join-control-plane-"+minor+".yaml", out, 0o644)

		wj := join()
		wj.NodeRegistration.Taints = ptr.To([]corev1.Taint{{Key: "node.cluster.x-k8s.io/uninitialized", Effect: corev1.TaintEffectNoSchedule}})
		out = must(cloudinit.NewNode(&cloudinit.NodeInput{
			BaseUserData: cloudinit.BaseUserData{
				AdditionalFiles:    []bootstrapv1.File{{Path: "/etc/extra.conf", Encoding: bootstrapv1.Base64, Permissions: "0600", Append: ptr.To(true), Content: "aGVsbG8="}},
				BootCommands:       []string{"echo boot"},
				PreKubeadmCommands: []string{"echo pre"},
				KubeadmVerbosity:   "--v 5",
				DiskSetup: &bootstrapv1.DiskSetup{
					Partitions:  []bootstrapv1.Partition{{Device: "/dev/sdb", Layout: ptr.To(true), Overwrite: ptr.To(false), TableType: "gpt"}},
					Filesystems: []bootstrapv1.Filesystem{{Device: "/dev/sdb1", Filesystem: "ext4", Label: "data", ExtraOpts: []string{"-F"}}},
				},
				Mounts: []bootstrapv1.MountPoints{{"LABEL=data", "/var/lib/data"}},
			},
			JoinConfiguration: mustS(kubeadmtypes.MarshalJoinConfigurationForVersion(&wj, ver)),
		}))
		os.WriteFile(dir+"/join-worker-"+minor+".yaml", out, 0o644)
	}
}
