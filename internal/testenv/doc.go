// Package testenv starts and supervises the processes Sketchpad's tests and
// tools run against: a redis-server of their own, any child process with
// its output in a log file, and the free loopback ports they listen on.
//
// It is written once for three users: server/redistest (tests that need a
// Redis to restart, kill or flush), scripts/cluster/local (the replicas,
// Redis and nginx of a local cluster) and scripts/loadtest (the target of a
// load run). Everything listens on loopback; every child is started with
// Pdeathsig, so a test binary or tool that dies takes its children with it.
package testenv
