package app.cruddur.messages.error;

import java.util.Locale;

/**
 * Every machine-readable code a client can get: the {@code code} of a problem document, and the
 * rules a 422 {@code validation_failed} lists in {@code errors}. The one list of them; the list in docs/api.md
 * and OpenAPI's are checked against it (ErrorCodesDocumentedTest).
 */
public enum ErrorCode {

    // --- problem documents, with their status ---
    MALFORMED_BODY(400, "the body is not a JSON object with string fields, not well-formed UTF-8, or names a field twice"),
    MALFORMED_REQUEST(400, "the request line or its Host header is malformed"),
    REQUEST_REJECTED(400, "any other client error of the HTTP layer"),
    UNAUTHENTICATED(401, "no Bearer token"),
    INVALID_TOKEN(401, "the token failed verification"),
    INVALID_TICKET(401, "an event-stream ticket that is unknown, used or expired"),
    FORBIDDEN(403, "the account may not do this"),
    RECIPIENT_UNAVAILABLE(403, "one of the two users blocked the other: no new messages between them"),
    USER_NOT_REGISTERED(403, "a valid token whose sub has no users row"),
    CORS_REJECTED(403, "an origin or preflight CORS does not allow"),
    NOT_FOUND(404, "no such path"),
    USER_NOT_FOUND(404, "no user has this handle"),
    MESSAGE_GROUP_NOT_FOUND(404, "no such conversation, or not the caller's"),
    MESSAGE_NOT_FOUND(404, "the conversation has no message sent at this time"),
    METHOD_NOT_ALLOWED(405, "the path does not take this method"),
    NOT_ACCEPTABLE(406, "no answer in an accepted media type"),
    IDEMPOTENCY_KEY_CONFLICT(409, "the first request with this Idempotency-Key is no longer on record"),
    NOTHING_TO_MARK_UNREAD(409, "the other member has sent no message in the conversation yet"),
    MESSAGE_DELETED(409, "the message was deleted: it can no longer be edited"),
    EDIT_WINDOW_PASSED(409, "the message was sent longer ago than edits are allowed (24 hours)"),
    PRECONDITION_FAILED(412, "If-Match names another version of the message than the stored one"),
    BODY_TOO_LARGE(413, "the body is over 64 KiB"),
    UNSUPPORTED_MEDIA_TYPE(415, "not JSON, or not exactly one Content-Type"),
    VALIDATION_FAILED(422, "the request breaks the rules listed in errors"),
    RATE_LIMITED(429, "over a rate limit: nothing stored; retry after Retry-After"),
    INTERNAL_ERROR(500, "a bug of ours; the detail has an error id for the log"),
    DEPENDENCY_UNAVAILABLE(503, "DynamoDB or PostgreSQL unreachable or silent; nothing stored"),
    LISTS_NOT_UPDATED(503, "the message is stored, the conversation lists are not updated yet"),
    EVENTS_UNAVAILABLE(503, "Redis (event fan-out, tickets) unreachable or silent; the REST API works"),
    WRITE_CONTENTION(503, "too many concurrent writes to one conversation; nothing stored"),

    // --- rules, listed in a validation_failed problem's errors ---
    MESSAGE_BLANK(0, "the message is empty, white space or invisible characters only"),
    MESSAGE_EXCEED_MAX_CHARS(0, "the message is over 1024 code points"),
    MESSAGE_INVALID_UNICODE(0, "the message has a lone surrogate"),
    MESSAGE_GROUP_UUID_BLANK(0, "message_group_uuid is empty"),
    INVALID_MESSAGE_GROUP_UUID(0, "message_group_uuid is not a UUID"),
    USER_RECEIVER_HANDLE_BLANK(0, "neither a conversation nor a handle"),
    RECIPIENT_AMBIGUOUS(0, "both a conversation and a handle"),
    USER_RECEIVER_NOT_FOUND(0, "no user has the receiver's handle"),
    CANNOT_MESSAGE_SELF(0, "the receiver is the sender"),
    INVALID_LIMIT(0, "limit is not 1-100"),
    INVALID_CURSOR(0, "the cursor is not one the service gave"),
    INVALID_IDEMPOTENCY_KEY(0, "Idempotency-Key empty, repeated, or not 1-200 visible ASCII characters"),
    IDEMPOTENCY_KEY_REUSED(0, "the Idempotency-Key was used with another body"),
    INVALID_EVENT_ID(0, "Last-Event-ID (or last_event_id) is not an id the event stream sent"),
    BLOCKED_USER_NOT_FOUND(0, "no user has the handle to block or unblock"),
    CANNOT_BLOCK_SELF(0, "the handle to block or unblock is the caller's own"),
    TOO_MANY_BLOCKS(0, "the caller has blocked 1000 users already"),
    INVALID_READ_THROUGH(0, "read_through is not a message's created_at as the service writes it"),
    INVALID_UNREAD_FROM(0, "from is not a message's created_at as the service writes it");

    private final int status;
    private final String meaning;

    ErrorCode(int status, String meaning) {
        this.status = status;
        this.meaning = meaning;
    }

    /** The code as clients read it. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a problem with this code; 0 for a rule. */
    public int status() {
        return status;
    }

    public boolean isRule() {
        return status == 0;
    }

    public String meaning() {
        return meaning;
    }

    @Override
    public String toString() {
        return code();
    }
}
