package app.cruddur.infra;

import static app.cruddur.infra.Cfn.list;
import static app.cruddur.infra.Cfn.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.infra.monitoring.Alarms;
import app.cruddur.infra.service.MessagesService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack and the service it deploys (the repository around infra/) agree: every variable the
 * task and the Lambda are given is one the service reads, every variable the service requires in
 * prod is given, and the Lambda's handler is a class of the service. Read from the service's own
 * sources, so renaming either side fails here.
 */
class ServiceContractTest {

    private static final Path SERVICE = Path.of("..");
    /** Read by the AWS SDK itself (region), not by the service's configuration. */
    private static final Set<String> SDK_VARIABLES = Set.of("AWS_REGION");

    @Test
    void everyVariableTheTaskIsGivenIsReadByTheService() throws IOException {
        String properties = Files.readString(SERVICE.resolve("src/main/resources/application.properties"));
        String configSources = Files.readString(SERVICE.resolve(
                "src/main/java/app/cruddur/messages/config/PostgresTlsConfigSourceFactory.java"));
        // A property's own environment form (cruddur.messages.rate-limits.enabled: CRUDDUR_MESSAGES_RATE_LIMITS_ENABLED).
        Set<String> propertyVariables = new java.util.HashSet<>();
        for (String line : properties.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#") && line.contains("=")) {
                String key = line.substring(0, line.indexOf('=')).trim().replaceFirst("^%[a-z]+\\.", "");
                propertyVariables.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT));
            }
        }
        List<String[]> mappings = configMappings();
        for (Template template : List.of(Synth.defaults(), Synth.full())) {
            for (String name : taskVariables(template)) {
                boolean mapped = mappings.stream().anyMatch(mapping -> name.startsWith(mapping[0] + "_") && name.endsWith("_" + mapping[1]));
                boolean read = properties.contains("${" + name) || configSources.contains("\"" + name + "\"")
                        || SDK_VARIABLES.contains(name) || propertyVariables.contains(name) || mapped;
                assertTrue(read, name + " is given to the task but the service does not read it");
            }
        }
    }

    /**
     * The settings the service's features map beside their code ({@code @ConfigMapping}), each as the
     * environment form of its prefix and of one of its settings' names (a setting of a group inside
     * the mapping has more between the two).
     */
    private static List<String[]> configMappings() throws IOException {
        java.util.regex.Pattern prefix = java.util.regex.Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
        java.util.regex.Pattern setting = java.util.regex.Pattern.compile("^\\s+[\\w<>.]+ (\\w+)\\(\\);$", java.util.regex.Pattern.MULTILINE);
        List<String[]> found = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(SERVICE.resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith("Config.java")).toList()) {
                String source = Files.readString(file);
                java.util.regex.Matcher mapping = prefix.matcher(source);
                if (!mapping.find()) {
                    continue;
                }
                String environment = environment(mapping.group(1));
                java.util.regex.Matcher name = setting.matcher(source);
                while (name.find()) {
                    found.add(new String[] {environment, environment(name.group(1).replaceAll("([a-z0-9])([A-Z])", "$1-$2"))});
                }
            }
        }
        return found;
    }

    private static String environment(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void theLogLinesTheAlarmsCountAreTheOnesTheServiceWrites() throws IOException {
        String fanOut = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/redis/RedisPubSub.java"));
        String limiter = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/limits/RateLimiter.java"));
        assertTrue(fanOut.contains("LOG.warnf(\"" + app.cruddur.infra.monitoring.Alarms.EVENT_FAN_OUT_LOST));
        assertTrue(limiter.contains("LOG.warnf(\"" + app.cruddur.infra.monitoring.Alarms.RATE_LIMITS_FAILING_OPEN));
    }

    @Test
    void theMetricsTheStackReadsAreTheOnesTheServiceAndTheLambdaSend() throws IOException {
        // Micrometer's name with dots, as Prometheus (and so the collector) names it with underscores.
        String events = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/events/MessageEvents.java"));
        assertTrue(events.contains("\"" + MessagesService.OPEN_STREAMS_METRIC.replace('_', '.') + "\""),
                "the service's gauge of open event streams");
        // The Lambda's count of unreadable records (Embedded Metric Format), which an alarm watches.
        String metric = Files.readString(SERVICE.resolve(
                "src/main/java/app/cruddur/messages/projection/lambda/UnreadableRecordsMetric.java"));
        assertTrue(metric.contains("NAMESPACE = \"" + app.cruddur.infra.monitoring.Alarms.METRIC_NAMESPACE + "\""));
        assertTrue(metric.contains("NAME = \"" + app.cruddur.infra.monitoring.Alarms.UNREADABLE_RECORDS_METRIC + "\""));
        // The projection's filter names the prefix of a message's key.
        String message = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/table/MessageItem.java"));
        assertTrue(message.contains("PREFIX = \"MSG#\""), "MessageItem.PREFIX");
        assertTrue(app.cruddur.infra.projection.StreamProjector.FILTER.contains("\"prefix\":\"MSG#\""));
        // And the attribute an edited or deleted message carries.
        assertTrue(message.contains("MESSAGE_VERSION = \"message_version\""), "MessageItem.MESSAGE_VERSION");
        assertTrue(app.cruddur.infra.projection.StreamProjector.CHANGE_FILTER.contains("\"message_version\":{\"N\":[{\"exists\":true}]}"));
    }

    @Test
    void theServiceSendsItsSpansWhereTheCollectorBesideItListensAndTheCollectorSendsThemToXray() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(SERVICE.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        // The service's default, which the task leaves as it is.
        assertEquals("${OTEL_EXPORTER_OTLP_ENDPOINT:http://localhost:4317}", properties.getProperty("quarkus.otel.exporter.otlp.traces.endpoint"));
        String config = Files.readString(Path.of(MessagesService.COLLECTOR_CONFIG_FILE));
        assertTrue(config.contains("  otlp:\n    protocols:\n      grpc:\n        endpoint: localhost:4317\n"), config);
        assertTrue(config.contains("    traces:\n      receivers: [otlp]\n      processors: [batch/traces]\n      exporters: [awsxray]\n"),
                config);
        // The share kept is the stack's setting, the service's default unless given.
        assertEquals("${TRACES_SAMPLE_RATIO:" + app.cruddur.infra.StackSettings.DEFAULT_TRACES_SAMPLE_RATIO + "}",
                properties.getProperty("quarkus.otel.traces.sampler.arg"));
    }

    @Test
    void theServiceLevelsTheStackAlarmsOnAreTheMetricsTheServiceKeepsAndTheCollectorSends() throws IOException {
        String problems = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/error/http/ProblemMapper.java"));
        String events = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/events/MessageEvents.java"));
        String limiter = Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/limits/RateLimiter.java"));
        // Micrometer's dotted names; Prometheus adds _total to a counter and _seconds_max to a timer's maximum.
        assertTrue(problems.contains("FAILURES_METRIC = \"" + Alarms.FAILURES_METRIC.replace('_', '.') + "\""));
        assertTrue(events.contains("DELIVERY_LATENCY_METRIC = \"" + Alarms.DELIVERY_LATENCY_MAX_METRIC
                .replace("_seconds_max", "").replace('_', '.') + "\""));
        assertTrue(limiter.contains("\"" + Alarms.REFUSALS_METRIC.replace('_', '.') + "\""));
        // Each part a failure can name is one the alarms watch, and each limit one the dashboard draws.
        java.util.Set<String> parts = new java.util.TreeSet<>();
        for (String file : List.of("error/ApiException.java", "table/DynamoCalls.java", "postgres/PostgresUnavailableException.java",
                "events/EventsUnavailableException.java")) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("failedPart\\(\\) \\{\\s+return \"([a-z]+)\";")
                    .matcher(Files.readString(SERVICE.resolve("src/main/java/app/cruddur/messages/" + file)));
            assertTrue(named.find(), file);
            parts.add(named.group(1));
        }
        assertEquals(new java.util.TreeSet<>(Alarms.FAILED_PARTS), parts);
        java.util.Set<String> limits = new java.util.TreeSet<>();
        java.util.regex.Matcher policy = java.util.regex.Pattern.compile("RatePolicy\\.of\\(\"([a-z_]+)\"").matcher(limiter);
        while (policy.find()) {
            limits.add(policy.group(1));
        }
        assertEquals(limits, new java.util.TreeSet<>(app.cruddur.infra.monitoring.ServiceDashboard.LIMITS));
        // The collector keeps them, and names the counters as the alarms do.
        String config = Files.readString(Path.of(MessagesService.COLLECTOR_CONFIG_FILE));
        for (String kept : List.of(Alarms.DELIVERY_LATENCY_MAX_METRIC, Alarms.FAILURES_METRIC + "_total", Alarms.REFUSALS_METRIC + "_total")) {
            assertTrue(config.contains("|" + kept), kept);
        }
        for (String renamed : List.of(Alarms.FAILURES_METRIC, Alarms.REFUSALS_METRIC)) {
            assertTrue(config.contains("new_name: " + renamed + "\n"), renamed);
            assertTrue(config.contains("- \"^" + renamed + "$\""), renamed);
        }
        assertTrue(config.contains("- \"^" + Alarms.DELIVERY_LATENCY_MAX_METRIC + "$\""));
    }

    @Test
    void theServiceTakesNoMoreConnectionsThanTheDatabaseIsSizedFor() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(SERVICE.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        int reactive = Integer.parseInt(properties.getProperty("quarkus.datasource.reactive.max-size"));
        int jdbc = Integer.parseInt(properties.getProperty("quarkus.datasource.jdbc.max-size"));
        assertEquals(StackSettings.CONNECTIONS_PER_TASK, reactive + jdbc, "the reactive pool and Flyway's");
    }

    @Test
    void everyVariableTheServiceRequiresInProdIsGiven() throws IOException {
        String properties = Files.readString(SERVICE.resolve("src/main/resources/application.properties"));
        // ${NAME} without a default, on a %prod line: the service does not start without it.
        List<String> required = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(properties);
        while (matcher.find()) {
            required.add(matcher.group(1));
        }
        assertTrue(required.contains("POSTGRES_URL"), "the pattern finds the prod variables: " + required);
        for (Template template : List.of(Synth.defaults(), Synth.full())) {
            List<String> given = taskVariables(template);
            for (String name : required) {
                assertTrue(given.contains(name), name + " is required by the service in prod but not given to the task");
            }
        }
    }

    @Test
    void eachLambdaRunsAHandlerOfTheServiceWithTheVariablesItReads() throws IOException {
        // The projection and the sign-up trigger.
        Map<String, Map<String, Object>> functions = Cfn.ofType(Synth.defaults(), "AWS::Lambda::Function");
        assertEquals(2, functions.size());
        for (Map<String, Object> resource : functions.values()) {
            Map<String, Object> function = map(resource.get("Properties"));
            String handler = (String) function.get("Handler");
            String className = handler.substring(0, handler.indexOf("::"));
            Path source = SERVICE.resolve("src/main/java").resolve(className.replace('.', '/') + ".java");
            assertTrue(Files.exists(source), handler + ": no " + source);
            String code = Files.readString(source);
            assertTrue(code.contains(handler.substring(handler.indexOf("::") + 2) + "("), "the handler method exists");
            Map<String, Object> variables = map(map(function.get("Environment")).get("Variables"));
            for (String name : variables.keySet()) {
                assertTrue(code.contains("\"" + name + "\""), name + " is given to " + handler + " but it does not read it");
            }
        }
    }

    @Test
    void theServiceServesHealthOnTheManagementPortTheLoadBalancerChecks() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(SERVICE.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        assertEquals("true", properties.getProperty("quarkus.management.enabled"), "the management interface is on");
        assertEquals(Integer.toString(MessagesService.MANAGEMENT_PORT), properties.getProperty("quarkus.management.port"));
        // Health under /q on the management port, the API on Quarkus' default HTTP port; no
        // profile moves either in production.
        for (String key : List.of("quarkus.management.port", "quarkus.management.root-path", "quarkus.http.port",
                "quarkus.http.non-application-root-path")) {
            assertNull(properties.getProperty("%prod." + key), "%prod." + key);
        }
        assertNull(properties.getProperty("quarkus.management.root-path"), "health stays under /q");
        assertNull(properties.getProperty("quarkus.http.port"), "the API on Quarkus' default 8080");
        assertEquals(8080, MessagesService.CONTAINER_PORT);
        assertTrue(MessagesService.READINESS_PATH.startsWith("/q/health/")
                && MessagesService.LIVENESS_PATH.startsWith("/q/health/"));
    }

    /** The task's variables and secrets, by name. */
    private static List<String> taskVariables(Template template) {
        Map<String, Object> container = map(list(Cfn.onlyProperties(template, "AWS::ECS::TaskDefinition")
                .get("ContainerDefinitions")).get(0));
        List<String> names = new ArrayList<>();
        for (Object variable : list(container.get("Environment"))) {
            names.add((String) map(variable).get("Name"));
        }
        for (Object secret : list(container.get("Secrets"))) {
            names.add((String) map(secret).get("Name"));
        }
        return names;
    }
}
