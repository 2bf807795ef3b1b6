package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.ReadReceiptItem;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.view.TypingView;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns what the table's writers did into events on the members' channels: a stored message
 * becomes a {@code message} event for each member, a moved entry a {@code message_group} event for
 * its owner. The POST path tells it at once (the message before the moves it causes); the stream
 * projection tells it again, which covers messages that tools wrote and posts whose publishing
 * failed; a message is published once ({@link UserChannels#publishOnce}). An entry is published by
 * whoever moved it, and only a move that happened is told. Never fails its caller.
 */
@ApplicationScoped
public class EventPublisher implements TableChanges {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final UserChannels fanOut;
    private final ObjectMapper json;

    public EventPublisher(UserChannels fanOut, ObjectMapper json) {
        this.fanOut = fanOut;
        this.json = json;
    }

    @Override
    public void messageStored(MessageItem message, Set<UUID> members) {
        try {
            fanOut.publishOnce(UserEvent.message(message, json), members);
        } catch (RuntimeException e) {
            LOG.warnf("Event of message %s not published: %s", message.messageUuid(), e.toString());
        }
    }

    /** Each receipt to the user it tells (a read marker moved). */
    public void readMoved(List<ReadReceiptItem> receipts) {
        for (ReadReceiptItem receipt : receipts) {
            try {
                fanOut.publish(receipt.notifiedUuid(), UserEvent.read(receipt, json));
            } catch (RuntimeException e) {
                LOG.warnf("Read event of %s not published: %s", receipt.conversationUuid(), e.toString());
            }
        }
    }

    /**
     * Someone is typing: {@code to} hears of it, through Redis only (nothing is stored). Fails with
     * {@link EventsUnavailableException} while Redis is unreachable: then no one can hear of it.
     */
    public void typing(UUID conversationUuid, Instant at, TypingView typing, UUID to) {
        if (!fanOut.available()) {
            throw new EventsUnavailableException("Redis is unreachable");
        }
        fanOut.publish(to, UserEvent.typing(conversationUuid, at, typing, json));
    }

    /** A message was edited or deleted: both members hear of it. */
    public void messageChanged(MessageItem message, Instant at, Set<UUID> members) {
        try {
            UserEvent event = UserEvent.changed(message, at, json);
            for (UUID member : members) {
                fanOut.publish(member, event);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Event of the change of message %s not published: %s", message.messageUuid(), e.toString());
        }
    }

    @Override
    public void entriesMoved(List<ListEntryItem> entries) {
        for (ListEntryItem entry : entries) {
            try {
                fanOut.publish(entry.ownerUserUuid(), UserEvent.listEntry(entry, json));
            } catch (RuntimeException e) {
                LOG.warnf("Event of an entry of %s not published: %s", entry.conversationUuid(), e.toString());
            }
        }
    }
}
