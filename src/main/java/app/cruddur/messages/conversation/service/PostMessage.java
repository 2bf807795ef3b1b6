package app.cruddur.messages.conversation.service;

import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.table.Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A validated "post a message" command: into a conversation by its uuid (pattern C), or to a user
 * by handle (pattern D). The reference's rule decides which: a {@code message_group_uuid} means an
 * existing conversation, its absence means a user.
 */
public record PostMessage(String text, Optional<UUID> conversationUuid, Optional<String> receiverHandle) {


    /** Checks every rule that needs no lookup, and reports all the broken ones together. */
    public static PostMessage validate(String text, String conversationUuid, String handle, int maxChars) {
        return validate(text, conversationUuid, handle, maxChars, List.of());
    }

    /**
     * As {@link #validate(String, String, String, int)}, with the rules the request broke besides the
     * body's (its Idempotency-Key's), so that one 422 lists them all.
     */
    public static PostMessage validate(String text, String conversationUuid, String handle, int maxChars,
                                       List<ErrorCode> alsoBroken) {
        List<ErrorCode> problems = new ArrayList<>(MessageText.problems(text, maxChars));
        Optional<UUID> group = Optional.empty();
        Optional<String> receiver = Optional.empty();
        if (conversationUuid != null) {
            if (handle != null) {
                problems.add(ErrorCode.RECIPIENT_AMBIGUOUS);
            } else if (conversationUuid.isBlank()) {
                problems.add(ErrorCode.MESSAGE_GROUP_UUID_BLANK);
            } else {
                group = Keys.parseUuid(conversationUuid.strip());
                if (group.isEmpty()) {
                    problems.add(ErrorCode.INVALID_MESSAGE_GROUP_UUID);
                }
            }
        } else if (handle == null || handle.isBlank()) {
            problems.add(ErrorCode.USER_RECEIVER_HANDLE_BLANK);
        } else {
            receiver = Optional.of(handle.strip());
        }
        problems.addAll(alsoBroken);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new PostMessage(text, group, receiver);
    }

    /** What an Idempotency-Key is bound to: a retry must send the same request. */
    public String fingerprint() {
        String target = conversationUuid.map(uuid -> "group:" + uuid).orElseGet(() -> "handle:" + receiverHandle.orElseThrow());
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(target.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
