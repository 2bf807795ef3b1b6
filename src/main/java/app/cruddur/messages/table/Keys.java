package app.cruddur.messages.table;

import java.util.Optional;
import java.util.UUID;

/**
 * Every key of the single table, and the only place that formats or parses one.
 *
 * <table>
 *   <tr><th>item</th><th>pk</th><th>sk</th></tr>
 *   <tr><td>message</td><td>{@code MSG#{message_group_uuid}}</td><td>created_at</td></tr>
 *   <tr><td>group row (one per member)</td><td>{@code GRP#{owner_user_uuid}}</td><td>last_reply_at</td></tr>
 *   <tr><td>conversation (its members)</td><td>{@code CONV#{message_group_uuid}}</td><td>{@code CONV}</td></tr>
 *   <tr><td>pair (one conversation per two users)</td><td>{@code PAIR#{lower_uuid}#{higher_uuid}}</td><td>{@code PAIR}</td></tr>
 *   <tr><td>idempotency record</td><td>{@code IDEM#{user_uuid}#{key}}</td><td>{@code IDEM}</td></tr>
 * </table>
 *
 * Message and group-row keys are those of the reference layout, so its scripts read our data.
 * The other three items have fixed sort keys so that they can be read and conditionally written
 * by key, which the reference's two item types cannot offer.
 */
public final class Keys {

    public static final String MESSAGE_PREFIX = "MSG#";
    public static final String GROUP_ROW_PREFIX = "GRP#";
    public static final String CONVERSATION_PREFIX = "CONV#";
    public static final String CONVERSATION_SK = "CONV";
    public static final String PAIR_PREFIX = "PAIR#";
    public static final String PAIR_SK = "PAIR";
    public static final String IDEMPOTENCY_PREFIX = "IDEM#";
    public static final String IDEMPOTENCY_SK = "IDEM";

    private Keys() {
    }

    public static String messagePk(UUID messageGroupUuid) {
        return MESSAGE_PREFIX + messageGroupUuid;
    }

    public static String groupRowPk(UUID ownerUserUuid) {
        return GROUP_ROW_PREFIX + ownerUserUuid;
    }

    public static String conversationPk(UUID messageGroupUuid) {
        return CONVERSATION_PREFIX + messageGroupUuid;
    }

    /** The same key for (a, b) and (b, a). */
    public static String pairPk(UUID a, UUID b) {
        boolean ordered = a.toString().compareTo(b.toString()) <= 0;
        return PAIR_PREFIX + (ordered ? a + "#" + b : b + "#" + a);
    }

    public static String idempotencyPk(UUID userUuid, String idempotencyKey) {
        return IDEMPOTENCY_PREFIX + userUuid + "#" + idempotencyKey;
    }

    /** The group uuid of a message's pk, if it is one. */
    public static Optional<UUID> messageGroupOf(String pk) {
        return uuidAfter(MESSAGE_PREFIX, pk);
    }

    /** The owner of a group row's pk, if it is one. */
    public static Optional<UUID> groupRowOwnerOf(String pk) {
        return uuidAfter(GROUP_ROW_PREFIX, pk);
    }

    public static Optional<UUID> conversationOf(String pk) {
        return uuidAfter(CONVERSATION_PREFIX, pk);
    }

    private static Optional<UUID> uuidAfter(String prefix, String pk) {
        if (pk == null || !pk.startsWith(prefix) || pk.length() != prefix.length() + 36) {
            return Optional.empty();
        }
        return Uuids.parse(pk.substring(prefix.length()));
    }
}
