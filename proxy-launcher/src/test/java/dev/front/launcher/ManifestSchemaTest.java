package dev.front.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.Route;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every manifest in deploy/kubernetes read into the Kubernetes API types (fabric8's models), strictly: a field the
 * type does not have fails, as the API server's strict field validation would refuse it. fabric8's models keep
 * unknown fields in {@code additionalProperties} instead of failing, so the mapper here gives them no any-setter,
 * and every object read is also checked, recursively, to hold none. The KEDA ScaledObject is a custom resource
 * fabric8 has no type for: it is read into the small schema below, the fields KEDA documents.
 */
class ManifestSchemaTest {

    /** Strict: unknown fields fail, fabric8's catch-all any-setters are turned off. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }
            })
            .build();

    /** apiVersion and kind to the type that must hold it. */
    static final Map<String, Class<?>> TYPES = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "route.openshift.io/v1 Route", Route.class,
            "autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
            "keda.sh/v1alpha1 ScaledObject", ScaledObject.class);

    // ---- KEDA's ScaledObject (keda.sh/v1alpha1), the fields of its specification ---------------------------------

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
    }

    record ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
                            Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount,
                            Integer maxReplicaCount, Fallback fallback, Advanced advanced, List<Trigger> triggers) {
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Fallback(Integer failureThreshold, Integer replicas, String behavior) {
    }

    record Advanced(Boolean restoreToOriginalReplicaCount, HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig,
                    ScalingModifiers scalingModifiers) {
    }

    record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    record ScalingModifiers(String formula, String target, String activationTarget, String metricType) {
    }

    record Trigger(String type, String name, Boolean useCachedMetrics, String metricType, Map<String, String> metadata,
                   AuthenticationRef authenticationRef) {
    }

    record AuthenticationRef(String name, String kind) {
    }

    /** The metadata KEDA's prometheus scaler reads. */
    static final Set<String> PROMETHEUS_METADATA = Set.of("serverAddress", "query", "threshold",
            "activationThreshold", "namespace", "customHeaders", "ignoreNullValues", "queryParameters", "unsafeSsl",
            "timeout");

    /** What the schema cannot say: required fields, the trigger's metadata keys, numbers written as strings. */
    static void checkScaledObject(ScaledObject scaled) {
        ScaledObjectSpec spec = scaled.spec();
        assertThat(spec).as("spec").isNotNull();
        assertThat(spec.scaleTargetRef()).as("spec.scaleTargetRef").isNotNull();
        assertThat(spec.scaleTargetRef().name()).as("spec.scaleTargetRef.name").isNotBlank();
        assertThat(spec.triggers()).as("spec.triggers").isNotEmpty();
        if (spec.minReplicaCount() != null && spec.maxReplicaCount() != null) {
            assertThat(spec.minReplicaCount()).isLessThanOrEqualTo(spec.maxReplicaCount());
        }
        for (Trigger trigger : spec.triggers()) {
            assertThat(trigger.type()).as("triggers[].type").isEqualTo("prometheus");
            assertThat(trigger.metadata()).as("prometheus metadata")
                    .containsKeys("serverAddress", "query", "threshold");
            assertThat(PROMETHEUS_METADATA).as("prometheus metadata keys").containsAll(trigger.metadata().keySet());
            assertThat(new BigDecimal(trigger.metadata().get("threshold"))).isPositive();
        }
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /** Reads one manifest document into its type, strictly; throws on a field the type lacks. */
    static Object read(Map<String, Object> document) {
        String key = document.get("apiVersion") + " " + document.get("kind");
        Class<?> type = TYPES.get(key);
        if (type == null) {
            throw new IllegalArgumentException("no API type known for " + key);
        }
        Object object = STRICT.convertValue(document, type);
        List<String> unknown = new ArrayList<>();
        collectAdditionalProperties(object, key, unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown fields: " + unknown);
        }
        if (object instanceof ScaledObject scaled) {
            try {
                checkScaledObject(scaled);
            } catch (AssertionError e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return object;
    }

    /** Every non-empty {@code additionalProperties} under {@code value}, by path. */
    static void collectAdditionalProperties(Object value, String path, List<String> found) {
        switch (value) {
            case null -> {
            }
            case Map<?, ?> map -> map.forEach((k, v) -> collectAdditionalProperties(v, path + "." + k, found));
            case Collection<?> items -> {
                int i = 0;
                for (Object item : items) {
                    collectAdditionalProperties(item, path + "[" + i++ + "]", found);
                }
            }
            case Record record -> {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    try {
                        collectAdditionalProperties(component.getAccessor().invoke(record),
                                path + "." + component.getName(), found);
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            default -> {
                if (!value.getClass().getName().startsWith("io.fabric8.")) {
                    return; // String, Integer, Boolean ...
                }
                for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        if (Modifier.isStatic(field.getModifiers())) {
                            continue;
                        }
                        field.setAccessible(true);
                        Object fieldValue;
                        try {
                            fieldValue = field.get(value);
                        } catch (IllegalAccessException e) {
                            throw new AssertionError(e);
                        }
                        if (field.getName().equals("additionalProperties")) {
                            if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                                found.add(path + ": " + extra.keySet());
                            }
                        } else {
                            collectAdditionalProperties(fieldValue, path + "." + field.getName(), found);
                        }
                    }
                }
            }
        }
    }

    static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.list(DeployManifestsTest.DIR)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    // ---- the tests ---------------------------------------------------------------------------------------------

    @Test
    void everyManifestIsAKnownApiTypeWithOnlyItsFields() throws IOException {
        List<Path> files = manifests();
        assertThat(files.stream().map(f -> f.getFileName().toString())).contains("deployment.yaml",
                "deployment-sidecar.yaml", "service.yaml", "route.yaml", "scaledobject.yaml",
                "hpa-prometheus-adapter.yaml", "poddisruptionbudget.yaml");
        for (Path file : files) {
            assertThat(read(load(file))).as(file.toString()).isNotNull();
        }
    }

    /** Maps whose keys are the user's (labels, resource names, a Service's selector): any key is valid there. */
    static boolean freeForm(String path) {
        return path.endsWith(".labels") || path.endsWith(".annotations") || path.endsWith(".matchLabels")
                || path.endsWith(".requests") || path.endsWith(".limits")
                || path.equals("v1 Service.spec.selector");
    }

    /** Every key path of a document (not inside free-form maps), as lists of map keys and list indices. */
    static void keyPaths(Object node, String text, List<Object> path, List<List<Object>> out) {
        if (node instanceof Map<?, ?> map && !freeForm(text)) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                List<Object> child = new ArrayList<>(path);
                child.add(entry.getKey());
                out.add(child);
                keyPaths(entry.getValue(), text + "." + entry.getKey(), child, out);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> child = new ArrayList<>(path);
                child.add(i);
                keyPaths(list.get(i), text, child, out);
            }
        }
    }

    /** A deep copy of {@code document} with the last key of {@code path} misspelt (an "x" appended). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> misspelt(Map<String, Object> document, List<Object> path) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(document);
        Object node = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            node = step instanceof Integer index ? ((List<Object>) node).get(index) : ((Map<String, Object>) node).get(step);
        }
        Map<String, Object> parent = (Map<String, Object>) node;
        Object key = path.getLast();
        Map<String, Object> renamed = new LinkedHashMap<>();
        parent.forEach((k, v) -> renamed.put(k.equals(key) ? k + "x" : k, v));
        parent.clear();
        parent.putAll(renamed);
        return copy;
    }

    static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(ManifestSchemaTest::deepCopy).toList());
        }
        return node;
    }

    @Test
    void aMisspeltFieldAnywhereInAnyManifestFails() throws IOException {
        int checked = 0;
        for (Path file : manifests()) {
            Map<String, Object> document = load(file);
            List<List<Object>> paths = new ArrayList<>();
            keyPaths(document, document.get("apiVersion") + " " + document.get("kind"), List.of(), paths);
            for (List<Object> path : paths) {
                if (path.size() == 1 && (path.getFirst().equals("apiVersion") || path.getFirst().equals("kind"))) {
                    continue; // no type to read into at all: read() refuses that too, for another reason
                }
                Map<String, Object> mutated = misspelt(document, path);
                assertThatThrownBy(() -> read(mutated)).as("%s: %s misspelt", file.getFileName(), path)
                        .isInstanceOf(RuntimeException.class);
                checked++;
            }
        }
        assertThat(checked).as("field names tried").isGreaterThan(200);
    }

    @Test
    void fabric8sCatchAllWouldHaveAcceptedAMisspeltField() {
        // Why the mapper above turns any-setters off: fabric8's own reading keeps the typo and goes on.
        Map<String, Object> document = Map.of("apiVersion", "policy/v1", "kind", "PodDisruptionBudget",
                "spec", Map.of("maxUnavailabel", 1));
        PodDisruptionBudget lenient = JsonMapper.builder().build().convertValue(document, PodDisruptionBudget.class);
        assertThat(lenient.getSpec().getAdditionalProperties()).containsKey("maxUnavailabel");
        List<String> found = new ArrayList<>();
        collectAdditionalProperties(lenient, "pdb", found);
        assertThat(found).containsExactly("pdb.spec: [maxUnavailabel]");
        assertThatThrownBy(() -> read(new LinkedHashMap<>(document))).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("maxUnavailabel");
    }
}
