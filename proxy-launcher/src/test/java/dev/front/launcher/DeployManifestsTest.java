package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.CommandLineParser;
import dev.front.config.FrontConfig;
import dev.front.config.Upstream;
import dev.front.core.observe.FrontMetrics;
import dev.front.core.observe.PrometheusMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes/OpenShift manifests in deploy/kubernetes agree with the front: the container's args are parsed
 * with the front's own parser (so its defaults apply), and ports, probes and timeouts are checked against the result.
 */
class DeployManifestsTest {

    static final Path DIR = Path.of(System.getProperty("front.deploy", "../deploy/kubernetes"));

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(DIR.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            assertThat(current).as("%s in %s", key, String.join(".", path)).isInstanceOf(Map.class);
            current = ((Map<String, Object>) current).get(key);
        }
        return (Map<String, Object>) current;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        return (List<Map<String, Object>>) node.getOrDefault(key, List.of());
    }

    static Map<String, Object> container(Map<String, Object> deployment, String name) {
        return list(map(deployment, "spec", "template", "spec"), "containers").stream()
                .filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** The front's configuration as the container starts it: its args after the image's ENTRYPOINT, its env. */
    @SuppressWarnings("unchecked")
    static FrontConfig frontConfig(Map<String, Object> container) throws Exception {
        List<String> args = (List<String>) container.get("args");
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> variable : list(container, "env")) {
            env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return ((CommandLineParser.Outcome.Run) CommandLineParser.parse(args, env)).config();
    }

    static int port(Map<String, Object> container, String name) {
        return list(container, "ports").stream().filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no port named " + name));
    }

    /** A probe's port, named or numbered, as a number. */
    static int probePort(Map<String, Object> container, String probe) {
        Map<String, Object> httpGet = map(container, probe, "httpGet");
        Object port = httpGet.get("port");
        return port instanceof Integer number ? number : port(container, (String) port);
    }

    static int preStopSleep(Map<String, Object> container) {
        Map<String, Object> lifecycle = map(container, "lifecycle");
        return lifecycle == null ? 0 : (Integer) map(lifecycle, "preStop", "sleep").get("seconds");
    }

    /** Ports, probes, grace period and the Prometheus annotation of the pod that runs the front. */
    static void frontAgrees(Map<String, Object> deployment, Map<String, Object> front, FrontConfig config) {
        assertThat(port(front, "http")).isEqualTo(config.port());
        assertThat(config.adminPort()).as("--admin-port, for the probes").isPresent();
        int admin = config.adminPort().getAsInt();
        assertThat(port(front, "admin")).isEqualTo(admin);
        assertThat(probePort(front, "readinessProbe")).isEqualTo(admin);
        assertThat(map(front, "readinessProbe", "httpGet").get("path")).isEqualTo("/readyz");
        assertThat(probePort(front, "livenessProbe")).isEqualTo(admin);
        assertThat(map(front, "livenessProbe", "httpGet").get("path")).isEqualTo("/healthz");
        if (front.containsKey("startupProbe")) {
            assertThat(probePort(front, "startupProbe")).isEqualTo(admin);
            int startupWindow = (Integer) map(front, "startupProbe").get("periodSeconds")
                    * (Integer) map(front, "startupProbe").get("failureThreshold");
            assertThat(Duration.ofSeconds(startupWindow)).as("startup probe outlasts --startup-timeout")
                    .isGreaterThan(config.limits().startupTimeout());
        }
        Map<String, Object> pod = map(deployment, "spec", "template");
        int grace = (Integer) map(pod, "spec").get("terminationGracePeriodSeconds");
        assertThat(Duration.ofSeconds(grace)).as("grace period > preStop + --graceful-timeout")
                .isGreaterThan(config.limits().gracefulTimeout().plusSeconds(preStopSleep(front)));
        assertThat(map(pod, "metadata", "annotations")).containsEntry("prometheus.io/port", Integer.toString(admin))
                .containsEntry("prometheus.io/path", "/metrics");
        // OpenShift's restricted SCC picks the UID: the pod must not pin one, and must not run as root.
        assertThat(map(pod, "spec", "securityContext")).containsEntry("runAsNonRoot", true).doesNotContainKey("runAsUser");
    }

    @Test
    void frontAsTheEntrypointAgreesWithItsOptions() throws Exception {
        Map<String, Object> deployment = load("deployment.yaml");
        Map<String, Object> app = container(deployment, "app");
        FrontConfig config = frontConfig(app);
        assertThat(config.spawnsChild()).isTrue();
        frontAgrees(deployment, app, config);
        assertThat(map(deployment, "spec", "selector", "matchLabels"))
                .isEqualTo(map(deployment, "spec", "template", "metadata", "labels"));
    }

    @Test
    void sidecarForwardsToTheAppContainerAndServesTheSharedStaticVolume() throws Exception {
        Map<String, Object> deployment = load("deployment-sidecar.yaml");
        Map<String, Object> front = container(deployment, "front");
        Map<String, Object> app = container(deployment, "app");
        FrontConfig config = frontConfig(front);
        frontAgrees(deployment, front, config);
        assertThat(config.upstream()).contains(new Upstream.Tcp("127.0.0.1", port(app, "app")));
        // The app is stopped only once the front has drained: its preStop outlasts the front's preStop + grace.
        assertThat(Duration.ofSeconds(preStopSleep(app)))
                .isGreaterThanOrEqualTo(config.limits().gracefulTimeout().plusSeconds(preStopSleep(front)));
        int grace = (Integer) map(deployment, "spec", "template", "spec").get("terminationGracePeriodSeconds");
        assertThat(grace).isGreaterThan(preStopSleep(app));
        // Every alias lies on a volume the front shares with the init container that fills it.
        List<Map<String, Object>> initContainers = list(map(deployment, "spec", "template", "spec"), "initContainers");
        List<String> filled = new ArrayList<>();
        for (Map<String, Object> init : initContainers) {
            list(init, "volumeMounts").forEach(m -> filled.add(m.get("name") + "@" + m.get("mountPath")));
        }
        assertThat(config.aliases()).isNotEmpty().allSatisfy(alias -> assertThat(list(front, "volumeMounts"))
                .anySatisfy(mount -> {
                    assertThat(alias.path().startsWith(Path.of((String) mount.get("mountPath")))).isTrue();
                    assertThat(filled).contains(mount.get("name") + "@" + mount.get("mountPath"));
                }));
    }

    @Test
    void serviceAndRouteReachTheFrontsPublicPortAndOutwaitIt() throws Exception {
        Map<String, Object> service = load("service.yaml");
        Map<String, Object> route = load("route.yaml");
        for (String file : new String[] {"deployment.yaml", "deployment-sidecar.yaml"}) {
            Map<String, Object> deployment = load(file);
            assertThat(map(service, "spec", "selector")).as(file)
                    .isEqualTo(map(deployment, "spec", "template", "metadata", "labels"));
            Map<String, Object> front = container(deployment, file.equals("deployment.yaml") ? "app" : "front");
            FrontConfig config = frontConfig(front);
            Map<String, Object> servicePort = list(map(service, "spec"), "ports").getFirst();
            assertThat(port(front, (String) servicePort.get("targetPort"))).isEqualTo(config.port());

            assertThat(map(route, "spec", "to")).containsEntry("kind", "Service")
                    .containsEntry("name", map(service, "metadata").get("name"));
            assertThat(map(route, "spec", "port").get("targetPort")).isEqualTo(servicePort.get("name"));
            String timeout = (String) map(route, "metadata", "annotations").get("haproxy.router.openshift.io/timeout");
            assertThat(timeout).endsWith("s");
            Duration routerTimeout = Duration.ofSeconds(Long.parseLong(timeout.substring(0, timeout.length() - 1)));
            assertThat(routerTimeout).as("the router waits longer than the front's queue + request timeouts")
                    .isGreaterThan(config.limits().queueTimeout().plus(config.limits().requestTimeout()));
        }
    }

    @Test
    void autoscalersAndTheDisruptionBudgetAgreeWithTheDeploymentsAndTheFrontsMetrics() throws Exception {
        ByteArrayOutputStream scrape = new ByteArrayOutputStream();
        new PrometheusMetrics().scrape(scrape);
        assertThat(scrape.toString()).as("the gauge the autoscalers read exists").contains("\nfront_saturation ");

        Map<String, Object> keda = load("scaledobject.yaml");
        Map<String, Object> hpa = load("hpa-prometheus-adapter.yaml");
        Map<String, Object> pdb = load("poddisruptionbudget.yaml");
        Map<String, Object> trigger = list(map(keda, "spec"), "triggers").getFirst();
        assertThat((String) map(trigger, "metadata").get("query")).contains("front_saturation{");
        Map<String, Object> pods = list(map(hpa, "spec"), "metrics").getFirst();
        assertThat(map(pods, "pods", "metric").get("name")).isEqualTo("front_saturation");
        int kedaMin = (Integer) map(keda, "spec").get("minReplicaCount");
        int hpaMin = (Integer) map(hpa, "spec").get("minReplicas");
        int maxUnavailable = (Integer) map(pdb, "spec").get("maxUnavailable");
        assertThat(kedaMin).as("a drain never takes the last pod").isGreaterThan(maxUnavailable);
        assertThat(hpaMin).as("a drain never takes the last pod").isGreaterThan(maxUnavailable);

        for (String file : new String[] {"deployment.yaml", "deployment-sidecar.yaml"}) {
            Map<String, Object> deployment = load(file);
            Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
            for (Map<String, Object> target : List.of(map(keda, "spec", "scaleTargetRef"),
                    map(hpa, "spec", "scaleTargetRef"))) {
                assertThat(target).as(file).containsEntry("apiVersion", deployment.get("apiVersion"))
                        .containsEntry("kind", deployment.get("kind"))
                        .containsEntry("name", map(deployment, "metadata").get("name"));
            }
            assertThat(map(pdb, "spec", "selector", "matchLabels")).as(file).isEqualTo(podLabels);
            // Without a cap the gauge is only the requests in flight, not scaled to what the child can take.
            Map<String, Object> front = container(deployment, file.equals("deployment.yaml") ? "app" : "front");
            assertThat(frontConfig(front).forwarding().maxConcurrency()).as(file + ": --max-concurrency").isPositive();
        }
    }
}
