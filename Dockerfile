# syntax=docker/dockerfile:1
# The front and the bundled example app in one image: `docker build -t front-app .`
# Runs under any UID with group 0 (OpenShift's restricted SCC) and as PID 1 (exec-form ENTRYPOINT).
# Replace the CMD (or the Kubernetes `args:`) with your own options and child command; put your application
# in /app, group 0 and group-writable like the example.

# --- build: the shaded front.jar -----------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# The poms first, so the dependency download is a layer of its own that code changes do not invalidate.
COPY pom.xml ./
COPY config/pom.xml config/
COPY proxy-core/pom.xml proxy-core/
COPY proxy-static/pom.xml proxy-static/
COPY proxy-launcher/pom.xml proxy-launcher/
RUN mvn -B -q -DskipTests -Dmaven.test.skip=true dependency:go-offline || true
COPY config/src config/src
COPY proxy-core/src proxy-core/src
COPY proxy-static/src proxy-static/src
COPY proxy-launcher/src proxy-launcher/src
# Tests need python3 and run in CI; the image build only packages.
RUN mvn -B -q -Dmaven.test.skip=true package

# --- run: a JRE 25 with Python -----------------------------------------------------------------------------
FROM eclipse-temurin:25-jre-noble
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*
# A fixed non-root user for plain Docker; under OpenShift the UID is arbitrary and only group 0 is known,
# so everything the front or the app may write belongs to group 0 with the owner's rights.
RUN useradd --uid 10001 --gid 0 --home-dir /app --no-create-home --shell /usr/sbin/nologin front \
    && mkdir -p /app /opt/front \
    && chown -R 10001:0 /app /opt/front \
    && chmod -R g=u /app /opt/front
COPY --from=build --chown=10001:0 /src/proxy-launcher/target/front.jar /opt/front/front.jar
# The JVM's options, the same file bin/front uses (why each: its comments); JDK_JAVA_OPTIONS adds others.
COPY --chown=10001:0 bin/jvm-options /opt/front/jvm-options
# The JDK's AOT cache of this jar and this JRE (classes loaded and linked, method profiles) from a training run
# that serves files, forwards and answers the admin port: the front answers its first request in about half the
# time. Made here, so no container ever trains one.
RUN java @/opt/front/jvm-options -XX:AOTCacheOutput=/opt/front/front.aot -cp /opt/front/front.jar \
        dev.front.launcher.AotTraining >/dev/null \
    && chown 10001:0 /opt/front/front.aot && chmod g=u /opt/front/front.aot
COPY --chown=10001:0 examples/hello/ /app/
ENV HOME=/app
WORKDIR /app
USER 10001
EXPOSE 8080 9090
# The front relays TERM to the child and drains; docker stop and the kubelet send this signal.
STOPSIGNAL SIGTERM
# -Xlog:aot=off: were the cache refused after all, the front starts without it and says nothing of it.
ENTRYPOINT ["java", "@/opt/front/jvm-options", "-XX:AOTCache=/opt/front/front.aot", "-Xlog:aot=off", "-Xlog:cds=off", \
            "-jar", "/opt/front/front.jar"]
CMD ["--port", "8080", "--admin-port", "9090", "--url-alias", "/static", "/app/static", "--", "python3", "/app/app.py", "{port}"]
