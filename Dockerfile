# Roost container image.
#
# The image packages an already built server: run `mvn -B verify` first (it leaves
# target/roost.jar and target/lib/), then
#     docker build -t roost .
# BASE is any image with bash, useradd and a Java >= 21 runtime on PATH. The default is the
# public Temurin JRE; where no registry is reachable, docker/make-base.sh builds an equivalent
# from Debian packages:
#     docker/make-base.sh && docker build --build-arg BASE=roost-base:local -t roost .
ARG BASE=eclipse-temurin:21-jre
FROM ${BASE}

ARG ROOST_UID=10001
# One unprivileged system user owns the state and mail volumes; code and config stay root-owned
# and read-only for it.
RUN groupadd --system --gid "${ROOST_UID}" roost \
 && useradd --system --uid "${ROOST_UID}" --gid roost --no-create-home \
            --home-dir /var/lib/roost --shell /usr/sbin/nologin roost \
 && mkdir -p /opt/roost /etc/roost /var/lib/roost /var/mail \
 && chown roost:roost /var/lib/roost /var/mail \
 && chmod 0750 /var/lib/roost /var/mail

# Same layout as the source tree, so bin/roost finds target/roost.jar and target/lib/ as it
# does after a local build. Dependencies first: they change less often than the server jar.
WORKDIR /opt/roost
COPY target/lib/ target/lib/
COPY target/roost.jar target/roost.jar
COPY bin/roost bin/roost
COPY docker/healthcheck.sh bin/healthcheck
COPY docker/roost.yaml /etc/roost/roost.yaml

# Heap ceiling at 75% of the container's memory limit; no hsperfdata files, so a read-only root
# filesystem works. bin/roost adds the measured collector defaults (serial, 32 MB young
# generation: see BENCHMARKS.md) before ROOST_JAVA_OPTS, which wins.
ENV ROOST_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:-UsePerfData" \
    LANG=C.UTF-8

USER ${ROOST_UID}:${ROOST_UID}
VOLUME ["/var/lib/roost", "/var/mail"]
EXPOSE 143 993 110 995 4190 8080

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["/opt/roost/bin/healthcheck"]
# Roost drains sessions on SIGTERM (limits.shutdownDrain) and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["bin/roost", "serve", "--config", "/etc/roost/roost.yaml"]
