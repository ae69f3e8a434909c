# UNTESTED: this machine reaches no container registry, so this image has never been built here (distribution/README.md).
# Build from the repository root after `mvn package`:
#   docker build -f distribution/docker/model-worker.Dockerfile -t sampling-broker-model-worker .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 sampling
COPY model-worker/target/sampling-broker-model-worker/ /opt/
RUN ln -s /opt/sampling-broker-model-worker-* /opt/sampling-broker-model-worker
USER sampling
# Configure through SAMPLING_* variables (or mount a YAML file and pass its path); the management port serves
# /health/ready, /health/live and /metrics: bind it beyond loopback inside a container.
ENV SAMPLING_MANAGEMENT_HOST=0.0.0.0
EXPOSE 9403
ENTRYPOINT ["/opt/sampling-broker-model-worker/bin/model-worker"]
