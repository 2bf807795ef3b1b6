package app.cruddur.messages.bench;

import java.util.List;
import java.util.UUID;

/**
 * What the load benchmarks call, set up by {@link LoadBenchmarkMain} and handed to JMH's forked JVMs
 * as system properties (a fork shares nothing else with the JVM that prepared the data).
 */
record LoadTarget(String serviceUrl, String accessToken, String dynamodbEndpoint, String table,
                  UUID callerUuid, String callerHandle, String callerDisplayName,
                  UUID pageGroup, UUID postGroup) {

    private static final String PREFIX = "cruddur.bench.";

    List<String> asJvmArgs() {
        return List.of(
                arg("service-url", serviceUrl),
                arg("access-token", accessToken),
                arg("dynamodb-endpoint", dynamodbEndpoint),
                arg("table", table),
                arg("caller-uuid", callerUuid.toString()),
                arg("caller-handle", callerHandle),
                arg("caller-display-name", callerDisplayName),
                arg("page-group", pageGroup.toString()),
                arg("post-group", postGroup.toString()));
    }

    static LoadTarget fromSystemProperties() {
        return new LoadTarget(property("service-url"), property("access-token"), property("dynamodb-endpoint"),
                property("table"), UUID.fromString(property("caller-uuid")), property("caller-handle"),
                property("caller-display-name"), UUID.fromString(property("page-group")),
                UUID.fromString(property("post-group")));
    }

    private static String arg(String name, String value) {
        return "-D" + PREFIX + name + "=" + value;
    }

    private static String property(String name) {
        String value = System.getProperty(PREFIX + name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("-D" + PREFIX + name + " is not set; run the benchmarks through bin/bench-load");
        }
        return value;
    }
}
