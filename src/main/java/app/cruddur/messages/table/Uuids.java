package app.cruddur.messages.table;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict UUID parsing: the canonical 36-character form only ({@link UUID#fromString} accepts more). */
public final class Uuids {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The UUID that follows {@code prefix} in a key, if the key is exactly that. */
    static Optional<UUID> after(String prefix, String key) {
        if (key == null || !key.startsWith(prefix) || key.length() != prefix.length() + 36) {
            return Optional.empty();
        }
        return parse(key.substring(prefix.length()));
    }

    private Uuids() {
    }

    public static Optional<UUID> parse(String value) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(value));
    }
}
