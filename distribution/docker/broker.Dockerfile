# UNTESTED: this machine reaches no container registry, so this image has never been built here (distribution/README.md).
# Build from the repository root after `mvn package`:
#   docker build -f distribution/docker/broker.Dockerfile -t sampling-broker-broker .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 sampling
COPY broker/target/sampling-broker-broker/ /opt/
RUN ln -s /opt/sampling-broker-broker-* /opt/sampling-broker-broker
USER sampling
# Configure through SAMPLING_* variables (or mount a YAML file and pass its path); the management port serves
# /health/ready, /health/live and /metrics: bind it beyond loopback inside a container.
# Beyond loopback the broker requires host authentication (broker.auth.*, broker/README.md).
ENV SAMPLING_MANAGEMENT_HOST=0.0.0.0 SAMPLING_BROKER_HTTP_HOST=0.0.0.0
EXPOSE 8080 9401
ENTRYPOINT ["/opt/sampling-broker-broker/bin/broker"]
