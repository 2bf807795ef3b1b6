package app.cruddur.messages.bench;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the load benchmarks call, set up by {@link LoadBenchmarkMain} and handed to JMH's forked JVMs
 * as system properties (a fork shares nothing else with the JVM that prepared the data).
 *
 * <p>The caller reads (A, B); the poster writes (C, D), so that the caller's list keeps its size.
 * Each benchmark thread posts into a conversation of its own: C replies in {@code replyGroups[i]},
 * D messages {@code receiverHandles[i]} (with whom the poster already has a conversation) by handle.
 */
record LoadTarget(String serviceUrl, String dynamodbEndpoint, String table, long servicePid, long dynamodbPid,
                  String cpuDir, BenchUser caller, UUID pageGroup, BenchUser poster, List<UUID> replyGroups,
                  List<BenchUser> receivers) {

    private static final String PREFIX = "cruddur.bench.";

    List<String> asJvmArgs() {
        return List.of(
                arg("service-url", serviceUrl),
                arg("dynamodb-endpoint", dynamodbEndpoint),
                arg("table", table),
                arg("service-pid", Long.toString(servicePid)),
                arg("dynamodb-pid", Long.toString(dynamodbPid)),
                arg("cpu-dir", cpuDir),
                arg("caller", user(caller)),
                arg("page-group", pageGroup.toString()),
                arg("poster", user(poster)),
                arg("reply-groups", replyGroups.stream().map(UUID::toString).collect(Collectors.joining(","))),
                arg("receivers", receivers.stream().map(LoadTarget::user).collect(Collectors.joining(";"))));
    }

    static LoadTarget fromSystemProperties() {
        return new LoadTarget(property("service-url"), property("dynamodb-endpoint"), property("table"),
                Long.parseLong(property("service-pid")), Long.parseLong(property("dynamodb-pid")), property("cpu-dir"),
                user(property("caller")), UUID.fromString(property("page-group")), user(property("poster")),
                Arrays.stream(property("reply-groups").split(",")).map(UUID::fromString).toList(),
                Arrays.stream(property("receivers").split(";")).map(LoadTarget::user).toList());
    }

    /** uuid|handle|display name|token (no token: empty); handles and tokens hold no '|' or ';'. */
    private static String user(BenchUser user) {
        return String.join("|", user.uuid().toString(), user.handle(), user.displayName(),
                user.accessToken() == null ? "" : user.accessToken());
    }

    private static BenchUser user(String encoded) {
        String[] parts = encoded.split("\\|", -1);
        return new BenchUser(UUID.fromString(parts[0]), parts[1], parts[2], parts[3].isEmpty() ? null : parts[3]);
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
