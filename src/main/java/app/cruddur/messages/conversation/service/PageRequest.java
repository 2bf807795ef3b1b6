package app.cruddur.messages.conversation.service;

import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.table.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Which page to read: how many items, and the opaque cursor of the previous page. The cursor is
 * the sort key of the oldest item already shown, base64url-encoded; it works across years
 * because it is a full timestamp, not a prefix.
 */
public record PageRequest(int limit, Optional<String> beforeSk) {


    public static PageRequest parse(String limit, String cursor, ConversationConfig.Paging paging) {
        List<ErrorCode> problems = new ArrayList<>();
        int size = paging.defaultLimit();
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > paging.maxLimit()) {
                problems.add(ErrorCode.INVALID_LIMIT);
            }
        }
        Optional<String> before = Optional.empty();
        if (cursor != null) {
            before = decode(cursor);
            if (before.isEmpty()) {
                problems.add(ErrorCode.INVALID_CURSOR);
            }
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new PageRequest(size, before);
    }

    public static String encode(String sk) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sk.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<String> decode(String cursor) {
        if (cursor.length() > 64) {
            return Optional.empty();
        }
        try {
            String sk = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return Timestamps.parse(sk).map(Timestamps::format).filter(sk::equals);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
