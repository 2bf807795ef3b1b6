package app.cruddur.messages.support;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/**
 * Reads the service's metrics as a scraper does (/q/metrics on the management port). A sample's line
 * is its name, its labels and its value, and may end with an exemplar (" # {trace_id=…} value time")
 * that ties it to a trace: the value is the token before that.
 */
public final class Metrics {

    private Metrics() {
    }

    /** The values of the samples of {@code name} whose labels include every one of {@code labels} (e.g. {@code limit="messages"}), summed; 0 without one. */
    public static double sum(int managementPort, String name, String... labels) {
        return given().port(managementPort).get("/q/metrics").asString().lines()
                .filter(line -> !line.startsWith("#"))
                .map(Metrics::withoutExemplar)
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Whether the metrics list {@code name} at all. */
    public static boolean listed(int managementPort, String name) {
        return given().port(managementPort).get("/q/metrics").asString().lines()
                .anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
    }

    private static String withoutExemplar(String line) {
        int exemplar = line.indexOf(" # ");
        return exemplar < 0 ? line : line.substring(0, exemplar);
    }
}
