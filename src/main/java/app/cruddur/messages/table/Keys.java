package app.cruddur.messages.table;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How the items spell their keys and attributes. Each item type names its key {@link Format} (a
 * prefix and the uuid after it) once; building a key, parsing one back and refusing an item whose
 * key is not of its type all go through it.
 */
public final class Keys {

    private Keys() {
    }

    /** A key that is a prefix followed by one uuid, such as {@code MSG#{message_group_uuid}}. */
    public record Format(String prefix, String itemName) {

        public String of(UUID id) {
            return prefix + id;
        }

        /** The uuid after the prefix, if {@code key} is exactly one of this format. */
        public Optional<UUID> parse(String key) {
            if (key == null || !key.startsWith(prefix) || key.length() != prefix.length() + 36) {
                return Optional.empty();
            }
            return parseUuid(key.substring(prefix.length()));
        }

        /** The uuid of the item's pk, or the item is not of this type. */
        public UUID partitionOf(Map<String, AttributeValue> item) {
            String pk = string(item, MessagesTable.PK);
            return parse(pk).orElseThrow(() -> new MalformedItemException("not a " + itemName + " pk: " + pk));
        }
    }

    private static final int LENGTH = 36;

    /**
     * A uuid in its canonical 36-character form only ({@link UUID#fromString} accepts more). Every
     * item read parses two or three, so this reads the hex digits itself instead of through a
     * regular expression, which was a visible share of a page's CPU time.
     */
    public static Optional<UUID> parseUuid(String value) {
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

    /** The primary key of an item. */
    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(MessagesTable.PK, s(pk), MessagesTable.SK, s(sk));
    }

    /** The sort key of a user's notice: {@code {time}#{conversation}}, so that a user's notices sort by time. */
    static String timed(Instant at, UUID conversationUuid) {
        return Timestamps.format(at) + "#" + conversationUuid;
    }

    /** The time of a {@link #timed} sort key. */
    static Instant timeOf(String timedSk) {
        int hash = timedSk.indexOf('#');
        return Timestamps.require(hash < 0 ? timedSk : timedSk.substring(0, hash));
    }

    /** The table's TTL attribute's value for {@code at} (epoch seconds). */
    static AttributeValue expiry(Instant at) {
        return AttributeValue.fromN(Long.toString(at.getEpochSecond()));
    }

    /** The time of an item's TTL attribute (the epoch when it has none). */
    static Instant expiryOf(Map<String, AttributeValue> item) {
        AttributeValue expires = item.get(MessagesTable.TIME_TO_LIVE);
        return Instant.ofEpochSecond(expires == null ? 0 : Long.parseLong(expires.n()));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue s(UUID value) {
        return AttributeValue.fromS(value.toString());
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new MalformedItemException("missing string attribute " + name + " in item " + item.get(MessagesTable.PK));
        }
        return value.s();
    }

    static UUID uuid(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return parseUuid(value)
                // The value stays out: these messages are logged, and attribute values must not be.
                .orElseThrow(() -> new MalformedItemException("attribute " + name + " is not a uuid"));
    }

    /** An item that does not have the shape its key promises. */
    static final class MalformedItemException extends IllegalStateException {
        MalformedItemException(String message) {
            super(message);
        }
    }
}
