package app.cruddur.messages.events;

import app.cruddur.messages.table.Timestamps;
import java.util.Optional;
import java.time.Instant;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.events.wire.EventKind;
import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.view.MessageView;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens the text of an event as it is written to a stream. Events travel between instances (Redis)
 * and are replayed from the table with the text sealed as stored; the instance that writes one to
 * a client opens it with the conversation's key, bound to the conversation and the time that the
 * event's id carries (a message's sent time, a list entry's last reply).
 */
@ApplicationScoped
public class EventTexts {

    /** The text's field in a message or list entry event, as Jackson writes it (no spaces). */
    private static final String FIELD = "\"message\":\"" + TextKey.SEALED;

    private final Keyring keyring;

    public EventTexts(Keyring keyring) {
        this.keyring = keyring;
    }

    /** The event with its text opened (or shown as unavailable); events without a sealed text as they are. */
    public Uni<UserEvent> open(UserEvent event) {
        if (event.kind() != EventKind.MESSAGE && event.kind() != EventKind.LIST_ENTRY && event.kind() != EventKind.MESSAGE_UPDATED) {
            return Uni.createFrom().item(event);
        }
        // An edit's id holds when it was edited; its text is bound to when the message was sent.
        Optional<Instant> sent = event.kind() == EventKind.MESSAGE_UPDATED ? sentAt(event.data()) : Optional.of(event.id().time());
        if (sent.isEmpty()) {
            return Uni.createFrom().item(event);
        }
        int start = event.data().indexOf(FIELD);
        if (start < 0) {
            return Uni.createFrom().item(event);
        }
        int from = start + FIELD.length() - TextKey.SEALED.length();
        // A sealed text is base64 after its prefix: no character in it is escaped, the next quote ends it.
        int end = event.data().indexOf('"', from);
        if (end < 0) {
            return Uni.createFrom().item(event);
        }
        String sealed = event.data().substring(from, end);
        // A key in memory answers at once; only a key this instance has not read yet costs a GetItem.
        return keyring.forReading(event.id().conversationUuid()).map(k -> {
            String text = k.open(event.id().conversationUuid(), sent.get(), sealed).orElse(MessageView.UNAVAILABLE);
            String data = event.data().substring(0, from) + new String(JsonStringEncoder.getInstance().quoteAsString(text))
                    + event.data().substring(end);
            return new UserEvent(event.id(), data);
        });
    }

    private static final String CREATED_AT = "\"created_at\":\"";

    /** A message event's created_at (its sent time, as Jackson writes it). */
    private static Optional<Instant> sentAt(String data) {
        int start = data.indexOf(CREATED_AT);
        int end = start < 0 ? -1 : data.indexOf('"', start + CREATED_AT.length());
        return end < 0 ? Optional.empty() : Timestamps.parse(data.substring(start + CREATED_AT.length(), end));
    }
}
