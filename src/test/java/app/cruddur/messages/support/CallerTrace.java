package app.cruddur.messages.support;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** A caller's trace, as a test sends it to the service: the W3C {@code traceparent} header of a span of the caller's. */
public record CallerTrace(String traceId, String spanId, boolean sampled) {

    /** A new trace of the caller's, with random ids (never all zero, so always valid). */
    public static CallerTrace random(boolean sampled) {
        return new CallerTrace(hex(16), hex(8), sampled);
    }

    /** The header's value. */
    public String header() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return HexFormat.of().formatHex(random);
    }
}
