# syntax=docker/dockerfile:1
#
# Sketchpad replica image: a static Go binary on distroless, run as non-root.
# The web app is committed in frontend/dist and embedded by the Go build, so
# no Node stage is needed. docker-compose.yml builds this image.
#
#   docker build -t sketchpad .
#   docker run -p 8080:8080 -v sketchpad-data:/data sketchpad        # embedded mode
#   docker run -p 8080:8080 -e REDIS_URL=redis://redis:6379/0 sketchpad

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# Static (no cgo, so no libc needed at run time), reproducible paths. The
# healthcheck binary is the HEALTHCHECK: distroless has no shell or curl.
ENV CGO_ENABLED=0
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /out/ \
        ./server/cmd/sketchpad ./server/cmd/healthcheck \
 && mkdir -p /out/data

# distroless/static: CA certificates, tzdata, /etc/passwd with "nonroot"
# (uid 65532), nothing else: no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sketchpad /out/healthcheck /usr/local/bin/
# Embedded mode keeps boards in /data (mount a volume there); Redis mode
# keeps nothing on disk.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV SKETCHPAD_ADDR=:8080 \
    SKETCHPAD_DATA=/data
EXPOSE 8080
# Liveness (/healthz), not readiness: see server/cmd/healthcheck.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/healthcheck"]
# SIGTERM starts the graceful shutdown (drain, store, tell clients to
# reconnect elsewhere); give it --shutdown-timeout (10s) plus a margin.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/sketchpad"]
