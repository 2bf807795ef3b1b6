package app.cruddur.messages.edit;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.view.MessageView;

/** A message as it is now, and its entity tag ({@code ETag}, for {@code If-Match}). */
public record Revised(MessageView view, String etag) {

    /** The entity tag of a message: its version, raised by each edit and the delete. */
    public static String etagOf(MessageItem message) {
        return "\"v" + message.revision().version() + "\"";
    }
}
