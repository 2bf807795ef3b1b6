package app.cruddur.infra.database;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An RDS for PostgreSQL instance class and the connections it accepts, so that the stack can choose
 * (or refuse) a class for the tasks it may run. RDS sets {@code max_connections} to
 * {@code LEAST(DBInstanceClassMemory / 9531392, 5000)}, where {@code DBInstanceClassMemory} is the
 * class's memory less what the operating system and RDS's own processes take; 300 MiB less reproduces
 * what such instances report (79 on 1 GiB, 192 on 2 GiB, 417 on 4 GiB, 868 on 8 GiB; measured
 * elsewhere: 198, 413 and 856 on the 2, 4 and 8 GiB classes of the previous generation). Check it with
 * {@code SHOW max_connections;} after a deployment.
 *
 * @param name      the class without {@code db.} ({@code t4g.small})
 * @param memoryMiB its memory
 */
public record DatabaseClass(String name, int memoryMiB) {

    /** What RDS keeps of the class's memory for itself, by the reckoning above. */
    static final int RESERVED_MIB = 300;
    static final long BYTES_PER_CONNECTION = 9_531_392L;
    static final int MAX_CONNECTIONS_CAP = 5000;

    /** The classes the stack knows, smallest first within each family; the default comes from the first fitting one. */
    private static final Map<String, Integer> KNOWN_MIB = known();

    private static Map<String, Integer> known() {
        Map<String, Integer> gib = new LinkedHashMap<>();
        for (String family : List.of("t4g", "t3")) {
            gib.put(family + ".micro", 1);
            gib.put(family + ".small", 2);
            gib.put(family + ".medium", 4);
            gib.put(family + ".large", 8);
            gib.put(family + ".xlarge", 16);
            gib.put(family + ".2xlarge", 32);
        }
        for (String family : List.of("m7g", "m6g", "m8g", "m6i", "m7i")) {
            gib.put(family + ".large", 8);
            gib.put(family + ".xlarge", 16);
            gib.put(family + ".2xlarge", 32);
            gib.put(family + ".4xlarge", 64);
        }
        for (String family : List.of("r7g", "r6g", "r8g", "r6i", "r7i")) {
            gib.put(family + ".large", 16);
            gib.put(family + ".xlarge", 32);
            gib.put(family + ".2xlarge", 64);
            gib.put(family + ".4xlarge", 128);
        }
        Map<String, Integer> mib = new LinkedHashMap<>();
        gib.forEach((name, size) -> mib.put(name, size * 1024));
        return mib;
    }

    /** The class named {@code name}, if the stack knows its memory. */
    public static Optional<DatabaseClass> of(String name) {
        return Optional.ofNullable(KNOWN_MIB.get(name)).map(memory -> new DatabaseClass(name, memory));
    }

    /** The names of the classes the stack knows. */
    public static List<String> knownNames() {
        return List.copyOf(KNOWN_MIB.keySet());
    }

    /**
     * The smallest burstable class ({@code t4g}) that accepts {@code connections}, else the smallest
     * general-purpose one ({@code m7g}) that does.
     */
    public static DatabaseClass smallestFor(int connections) {
        return KNOWN_MIB.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("t4g.") || entry.getKey().startsWith("m7g."))
                .map(entry -> new DatabaseClass(entry.getKey(), entry.getValue()))
                .filter(candidate -> candidate.maxConnections() >= connections)
                .min(Comparator.comparing((DatabaseClass c) -> !c.name().startsWith("t4g.")).thenComparing(DatabaseClass::memoryMiB))
                .orElseThrow(() -> new IllegalArgumentException("no known database class accepts " + connections + " connections"));
    }

    /** The {@code max_connections} RDS gives this class, by the reckoning above. */
    public int maxConnections() {
        long usable = (long) (memoryMiB - RESERVED_MIB) * 1024 * 1024;
        return (int) Math.min(usable / BYTES_PER_CONNECTION, MAX_CONNECTIONS_CAP);
    }
}
