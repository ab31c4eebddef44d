# Sketchpad. `make test` is the whole check, on a fresh machine too: it
# installs what the tests need (scripts/setup: Debian's chromium,
# redis-server and nginx, the front end's npm packages) and says so.
GO ?= go
FUZZTIME ?= 30s
STATICCHECK ?= v0.8.2

.PHONY: test test-cluster setup frontend frontend-check lint gotest e2e run fuzz bench

test: setup lint frontend-check gotest

setup:
	@bash scripts/setup

# Rebuild the committed bundle and fail if it differs from what is committed.
frontend:
	cd frontend && npm run build

frontend-check:
	cd frontend && npm run typecheck && npm test && npm run build
	@if [ -n "$$(git status --porcelain -- frontend/dist)" ]; then \
		echo "frontend/dist differs from a fresh build: run 'make frontend' and commit it"; \
		git status --porcelain -- frontend/dist; exit 1; fi

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...
	# The Centrifuge relay the load generator compares against is a module of
	# its own (its dependencies stay out of Sketchpad's go.mod): the same checks.
	cd scripts/bench/centrifuge && $(GO) vet ./... && $(GO) mod tidy -diff && $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...

# Unit, socket and browser tests (fuzz seed corpora run here too).
gotest:
	SKETCHPAD_REQUIRE_BROWSER=1 $(GO) test -race -count=1 -timeout 30m ./...
	# Timing-sensitive tests (thousands of clients, rate limits), without -race.
	# One address flooding pictures while people draw.
	$(GO) test -count=1 -timeout 5m -run 'Abuse' ./server/
	$(GO) test -count=1 -timeout 10m -run 'Storm' ./scripts/cluster/
	$(GO) test -count=1 -timeout 5m -run 'Flood' ./scripts/loadtest/
	# 10,000 boards opened and closed at the default timers.
	$(GO) test -count=1 -timeout 5m -run 'Soak' ./server/

# Redis Cluster fault tests (real redis-server processes in cluster mode):
# a master killed with and without --redis-wait-replicas, every slot of a
# master resharded while people draw, a node and the whole cluster
# restarted; and three hosts made of network namespaces (ip netns, veth, a
# bridge; skipped where the kernel refuses), one cut off and brought back.
# A few minutes on 2 cores; .ci/run runs it after test.
test-cluster: setup
	SKETCHPAD_CLUSTER_TESTS=1 $(GO) test -count=1 -timeout 15m -run 'Cluster' ./server/ ./server/oplog/redis/ ./internal/testenv/
	SKETCHPAD_CLUSTER_TESTS=1 $(GO) test -count=1 -timeout 10m -run 'TestHosts' ./scripts/cluster/

e2e:
	SKETCHPAD_REQUIRE_BROWSER=1 $(GO) test -count=1 -v ./scripts/e2e/

run:
	$(GO) run ./server/cmd/sketchpad

# Run every fuzz target (codec, version records, Redis log decoders, write-ahead log records, restore's copy of a board) for FUZZTIME each.
fuzz:
	@for p in ./canvas ./server ./server/oplog ./server/oplog/redis ./server/oplog/bolt; do for t in $$($(GO) test -list 'Fuzz.*' $$p | grep ^Fuzz); do \
		echo "fuzz $$p $$t"; $(GO) test $$p -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) || exit 1; done; done

# Go benchmarks with -benchmem, then a short run of each load scenario and
# the Socket.IO comparison (scripts/bench/run.sh; not part of test).
bench:
	GO=$(GO) bash scripts/bench/run.sh
