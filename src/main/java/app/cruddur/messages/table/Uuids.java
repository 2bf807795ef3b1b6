package app.cruddur.messages.table;

import java.util.Optional;
import java.util.UUID;

/**
 * Strict UUID parsing: the canonical 36-character form only ({@link UUID#fromString} accepts more).
 * Every item read parses two or three, so this reads the hex digits itself instead of through a
 * regular expression, which was a visible share of a page's CPU time.
 */
public final class Uuids {

    private static final int LENGTH = 36;

    private Uuids() {
    }

    public static Optional<UUID> parse(String value) {
        if (value == null || value.length() != LENGTH) {
            return Optional.empty();
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return Optional.empty();
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            // Character.digit also accepts non-ASCII digits (fullwidth, Arabic-Indic): only 0-9, a-f, A-F count.
            if (digit < 0 || c > 'f') {
                return Optional.empty();
            }
            if (i < 18) {
                high = high << 4 | digit;
            } else {
                low = low << 4 | digit;
            }
        }
        return Optional.of(new UUID(high, low));
    }
}
