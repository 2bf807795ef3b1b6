package app.cruddur.messages.table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The one timestamp format of the table: UTC, microseconds, numeric offset
 * ({@code 2026-11-24T09:30:15.123456+00:00}). Sort keys are compared as strings, so every writer
 * must use exactly this fixed-width form; the seed's scripts parse it as {@code %Y-%m-%dT%H:%M:%S.%f%z}.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);

    private Timestamps() {
    }

    /** Drops what the format cannot hold, so that a stored value reads back equal. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static String format(Instant instant) {
        return FORMAT.format(truncate(instant));
    }

    /** Parses a value written by {@link #format}; anything else (another offset, fewer digits) is rejected. */
    public static Optional<Instant> parse(String value) {
        if (value == null || value.length() != 32 || !value.endsWith("+00:00")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(FORMAT.parse(value)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static Instant require(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("not a table timestamp: " + value));
    }

    /** The next sort key after a taken one: one microsecond later, or now if the clock has moved past it. */
    public static Instant nextFree(Instant taken, Instant now) {
        Instant next = truncate(taken).plus(1, ChronoUnit.MICROS);
        Instant current = truncate(now);
        return current.isAfter(next) ? current : next;
    }
}
