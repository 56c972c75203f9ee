// Renders the golden-file inputs of CloudInitGoldenTest with upstream CAPI v1.14.2's own code (pkg/cloudinit and
// pkg/types), to check the hand-written golden files against upstream:
//
//   cd bootstrap-kubeadm/src/test/go/upstream-cloudinit
//   cp "$(go env GOMODCACHE)/sigs.k8s.io/cluster-api@v1.14.2/go.sum" .    # or let go fetch it
//   GOFLAGS=-mod=mod go run . /tmp/out && diff -r /tmp/out ../../resources/golden
module upstreamcloudinit

go 1.25

require (
	sigs.k8s.io/cluster-api v1.14.2
	sigs.k8s.io/cluster-api/api v1.14.2
)
