# UNTESTED: this machine reaches no container registry, so this image has never been built here (distribution/README.md).
# Build from the repository root after `mvn package`:
#   docker build -f distribution/docker/approval-worker.Dockerfile -t sampling-broker-approval-worker .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 sampling
COPY approval-worker/target/sampling-broker-approval-worker/ /opt/
RUN ln -s /opt/sampling-broker-approval-worker-* /opt/sampling-broker-approval-worker
USER sampling
# Configure through SAMPLING_* variables (or mount a YAML file and pass its path); the management port serves
# /health/ready, /health/live and /metrics: bind it beyond loopback inside a container.
ENV SAMPLING_MANAGEMENT_HOST=0.0.0.0
EXPOSE 9402
ENTRYPOINT ["/opt/sampling-broker-approval-worker/bin/approval-worker"]
