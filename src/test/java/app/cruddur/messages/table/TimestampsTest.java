package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written reading and writing of the table's timestamps agree with the formatter that defines them. */
class TimestampsTest {

    private static final Random RANDOM = new Random(20261201);

    @Test
    void writesEveryInstantAsTheFormatterDoes() {
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(min + (long) (RANDOM.nextDouble() * (max - min)), RANDOM.nextInt(1_000_000_000));
            String text = Timestamps.format(instant);
            assertEquals(Timestamps.formatWithFormatter(instant), text);
            assertEquals(Timestamps.parseWithFormatter(text), Timestamps.parse(text), text);
        }
        for (String edge : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00Z",
                "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z")) {
            Instant instant = Instant.parse(edge);
            assertEquals(Timestamps.formatWithFormatter(instant), Timestamps.format(instant), edge);
        }
    }

    @Test
    void readsEveryStringAsTheFormatterDoes() {
        String valid = "2026-11-24T09:30:15.123456+00:00";
        String alphabet = "0123456789-T:.+Z \u0660\uFF11";
        for (int i = 0; i < 200_000; i++) {
            char[] text = valid.toCharArray();
            for (int changes = 1 + RANDOM.nextInt(2); changes > 0; changes--) {
                text[RANDOM.nextInt(text.length)] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
            }
            String candidate = new String(text);
            assertEquals(Timestamps.parseWithFormatter(candidate), Timestamps.parse(candidate), candidate);
        }
        for (String edge : List.of("2026-02-29T00:00:00.000000+00:00", "2024-02-29T00:00:00.000000+00:00",
                "2026-04-31T00:00:00.000000+00:00", "2026-13-01T00:00:00.000000+00:00", "2026-00-10T00:00:00.000000+00:00",
                "2026-01-01T24:00:00.000000+00:00", "2026-01-01T23:60:00.000000+00:00", "2026-01-01T23:59:60.000000+00:00",
                "0000-01-01T00:00:00.000000+00:00", "9999-12-31T23:59:59.999999+00:00", "2026-01-01T00:00:00.000000+01:00",
                "2026-01-01T00:00:00.000000-00:00", "2026-01-01 00:00:00.000000+00:00")) {
            assertEquals(Timestamps.parseWithFormatter(edge), Timestamps.parse(edge), edge);
        }
    }
}
