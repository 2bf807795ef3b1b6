package app.cruddur.messages.table;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
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
 *
 * <p>Every item read parses one and every answer formats one per entry, so years 0 to 9999 are
 * written and read digit by digit ({@link DateTimeFormatter} was 5% of a page's CPU time); the
 * formatter stays the definition, and handles every other year.
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

    private static final int LENGTH = 32;
    private static final String UTC_SUFFIX = "+00:00";

    public static String format(Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = time.getYear();
        if (year < 0 || year > 9999) {
            return FORMAT.format(truncate(instant));
        }
        char[] text = new char[LENGTH];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, time.getNano() / 1000, 6);
        UTC_SUFFIX.getChars(0, UTC_SUFFIX.length(), text, 26);
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        int rest = value;
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** The number in {@code value[from, from + width)}, or -1 unless all of it is ASCII digits. */
    private static int number(String value, int from, int width) {
        int result = 0;
        for (int i = from; i < from + width; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    /** Parses a value written by {@link #format}; anything else (another offset, fewer digits) is rejected. */
    public static Optional<Instant> parse(String value) {
        if (value == null || value.length() != LENGTH || !value.endsWith(UTC_SUFFIX)
                || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':' || value.charAt(19) != '.') {
            return Optional.empty();
        }
        int year = number(value, 0, 4);
        int month = number(value, 5, 2);
        int day = number(value, 8, 2);
        int hour = number(value, 11, 2);
        int minute = number(value, 14, 2);
        int second = number(value, 17, 2);
        int micros = number(value, 20, 6);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || micros < 0) {
            return Optional.empty();
        }
        try {
            // Range checks as the strict formatter's: no February 30th, no hour 24, no second 60.
            return Optional.of(LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The formatter's own reading, which {@link #parse} must agree with (tests compare them). */
    static Optional<Instant> parseWithFormatter(String value) {
        if (value == null || value.length() != LENGTH || !value.endsWith(UTC_SUFFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(FORMAT.parse(value)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The formatter's own writing, which {@link #format} must agree with. */
    static String formatWithFormatter(Instant instant) {
        return FORMAT.format(truncate(instant));
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
