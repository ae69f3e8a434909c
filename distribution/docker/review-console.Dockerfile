# UNTESTED: this machine reaches no container registry, so this image has never been built here (distribution/README.md).
# Build from the repository root after `mvn package`:
#   docker build -f distribution/docker/review-console.Dockerfile -t sampling-broker-review-console .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 sampling
COPY review-console/target/sampling-broker-review-console/ /opt/
RUN ln -s /opt/sampling-broker-review-console-* /opt/sampling-broker-review-console
USER sampling
# Configure through SAMPLING_* variables (or mount a YAML file and pass its path); the management port serves
# /health/ready, /health/live and /metrics: bind it beyond loopback inside a container.
ENV SAMPLING_MANAGEMENT_HOST=0.0.0.0 SAMPLING_REVIEW_CONSOLE_HOST=0.0.0.0
EXPOSE 8090 9404
ENTRYPOINT ["/opt/sampling-broker-review-console/bin/review-console"]
