package app.cruddur.messages.conversation.repository;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;

/**
 * The message is stored, but the members' conversation lists could not be moved to it in time (the
 * rows kept moving, or the group index kept lagging). The POST does not answer 200 then, because a
 * 200 promises that the lists show the message; the stream projection moves them shortly after.
 */
public class ListsNotUpdatedException extends ApiException {

    public ListsNotUpdatedException(Throwable cause) {
        super(ErrorCode.LISTS_NOT_UPDATED, "The message is stored, but the conversation lists are not updated yet; "
                + "they catch up by themselves. A retry with the same Idempotency-Key does not store it again.", cause);
    }
}
