package server_test

import (
	"testing"

	"github.com/sketchpad/sketchpad/server/redistest"
)

// People on different replicas see each other on a Redis Cluster too:
// their news travels on the board's shard channel, on the subscription
// connections the replicas hold for its ops (relay_test.go has the
// table).

func TestClusterPeopleOnDifferentReplicasSeeEachOther(t *testing.T) {
	clusterFaults(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	rs := clusterReplicas(t, c, 2, 0)
	seeEachOther(t, rs)
}

func TestClusterReplicaClosingABoardSaysItsPeopleLeft(t *testing.T) {
	clusterFaults(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	closingSaysLeft(t, clusterReplicas(t, c, 2, 0))
}

func TestClusterPeopleOfADeadReplicaDisappear(t *testing.T) {
	clusterFaults(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	rs := clusterReplicas(t, c, 1, 0)
	// The process is told another node than the in-process replica.
	deadReplicaPeopleGo(t, "redis://"+c.Nodes[1].Addr, rs[0])
}
