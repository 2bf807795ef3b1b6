package app.cruddur.messages.edit;

import app.cruddur.messages.block.BlockService;
import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.conversation.repository.ConversationRepository;
import app.cruddur.messages.conversation.service.ConversationMembers;
import app.cruddur.messages.conversation.service.ConversationService;
import app.cruddur.messages.conversation.service.MessageText;
import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.events.EventPublisher;
import app.cruddur.messages.events.EventsConfig;
import app.cruddur.messages.projection.ListEntryMoves;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.DynamoCalls;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageChangeItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.trace.wire.TraceParent;
import app.cruddur.messages.user.User;
import app.cruddur.messages.view.MessageView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The rules of editing and deleting a message. Only its sender may, and to everyone else the
 * message is as absent as one that does not exist (the same 404). An edit comes within the window
 * ({@code cruddur.messages.edits.window}), follows the rules of a new message and is sealed as every
 * text is; a delete removes the text from every copy: the message keeps its place (its time and id,
 * so pages and resume ids stay stable) as a tombstone. Both are optimistic: {@code If-Match} with the
 * message's ETag makes a change that lost a race a 412; without it the change is made on what is
 * stored now. Both members' streams hear of the change, and the list entries that show the message
 * follow it before the call answers.
 */
@ApplicationScoped
public class MessageChangeService {

    private static final Duration NOTICE_MARGIN = Duration.ofHours(1);

    private final TableClient table;
    private final ConversationMembers members;
    private final BlockService blocks;
    private final Keyring keyring;
    private final EventPublisher events;
    private final EventsConfig eventsConfig;
    private final EditsConfig config;
    private final ConversationConfig conversations;
    private final Clock clock;
    private final ListEntryMoves entries;

    public MessageChangeService(TableClient table, ConversationMembers members, BlockService blocks, Keyring keyring,
                                EventPublisher events, EventsConfig eventsConfig, EditsConfig config, ConversationConfig conversations,
                                Clock clock) {
        this.table = table;
        this.members = members;
        this.blocks = blocks;
        this.keyring = keyring;
        this.events = events;
        this.eventsConfig = eventsConfig;
        this.config = config;
        this.conversations = conversations;
        this.clock = clock;
        this.entries = new ListEntryMoves(table, events);
    }

    /** One message of a conversation of the caller's, as a page shows it, with its ETag. */
    public Uni<Revised> get(User caller, String conversationUuid, String createdAt) {
        Instant at = timeOf(createdAt);
        return members.ofMember(conversationUuid, caller.uuid())
                .chain(conversation -> MessageItem.find(table, conversation.conversationUuid(), at))
                .map(found -> found.orElseThrow(MessageChangeService::messageNotFound))
                .chain(this::revised);
    }

    /** Replaces the text of the caller's own message. */
    public Uni<Revised> edit(User caller, String conversationUuid, String createdAt, String text, Optional<String> ifMatch) {
        Instant at = timeOf(createdAt);
        List<ErrorCode> problems = MessageText.problems(text, conversations.message().maxChars());
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return members.ofMember(conversationUuid, caller.uuid()).chain(conversation -> change(caller, conversation, at, ifMatch, found -> {
            if (found.isDeleted()) {
                throw new ApiException(ErrorCode.MESSAGE_DELETED, "The message was deleted; it can no longer be edited.");
            }
            Instant now = clock.instant();
            if (now.isAfter(found.createdAt().plus(config.window()))) {
                throw new ApiException(ErrorCode.EDIT_WINDOW_PASSED, "Messages can be edited for "
                        + config.window().toHours() + " hours after they are sent.");
            }
            return blocks.ensureMayMessage(caller, other(conversation, caller))
                    .chain(() -> keyring.forWriting(conversation.conversationUuid()))
                    .onFailure(Keyring.ErasedException.class).transform(erased -> ConversationService.groupNotFound())
                    .map(key -> Optional.of(found.edited(key, text, now)));
        }, 1));
    }

    /** Deletes the caller's own message for both members; deleting it again changes nothing. */
    public Uni<Revised> delete(User caller, String conversationUuid, String createdAt, Optional<String> ifMatch) {
        Instant at = timeOf(createdAt);
        return members.ofMember(conversationUuid, caller.uuid()).chain(conversation -> change(caller, conversation, at, ifMatch,
                found -> Uni.createFrom().item(found.isDeleted() ? Optional.empty() : Optional.of(found.deleted(clock.instant()))), 1));
    }

    /**
     * Reads the message, checks that it is the caller's and as {@code ifMatch} says, makes what
     * {@code rule} makes of it (empty: nothing to change) and writes it with its copies and notices,
     * all or nothing; a change that lost a race is read again, or is a 412 under If-Match.
     */
    private Uni<Revised> change(User caller, ConversationItem conversation, Instant at, Optional<String> ifMatch,
                                Function<MessageItem, Uni<Optional<MessageItem>>> rule, int attempt) {
        UUID group = conversation.conversationUuid();
        return MessageItem.find(table, group, at).chain(stored -> {
            MessageItem found = stored.filter(message -> message.userUuid().equals(caller.uuid()))
                    // Someone else's message is as absent as one that does not exist.
                    .orElseThrow(MessageChangeService::messageNotFound);
            if (ifMatch.isPresent() && !matches(ifMatch.get(), found)) {
                throw preconditionFailed();
            }
            return rule.apply(found).chain(changed -> {
                if (changed.isEmpty()) {
                    return revised(found);
                }
                // The change's stream record continues this request's trace.
                MessageItem after = changed.get().tracedBy(TraceParent.current().orElse(null));
                Instant now = Timestamps.truncate(clock.instant());
                return alongside(caller, found, after, conversation, now)
                        .chain(items -> found.revise(table, after, items))
                        .chain(outcome -> switch (outcome) {
                            case WRITTEN -> {
                                events.messageChanged(after, now, conversation.memberUuids());
                                yield follow(after, conversation).chain(() -> revised(after));
                            }
                            case MESSAGE_CHANGED -> ifMatch.isPresent() ? Uni.createFrom().failure(preconditionFailed())
                                    : ConversationRepository.afterPause(attempt, () -> change(caller, conversation, at, ifMatch, rule, attempt + 1));
                            default -> ConversationRepository.afterPause(attempt, () -> change(caller, conversation, at, ifMatch, rule, attempt + 1));
                        });
            });
        });
    }

    /** The record of the message's Idempotency-Key, holding a copy of it (when still kept), and a notice for each member. */
    private Uni<List<Map<String, AttributeValue>>> alongside(User caller, MessageItem found, MessageItem after,
                                                             ConversationItem conversation, Instant now) {
        Instant expires = now.plus(eventsConfig.resumeWindow()).plus(NOTICE_MARGIN);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (UUID member : conversation.memberUuids()) {
            items.add(new MessageChangeItem(member, now, found.conversationUuid(), found.createdAt(), after.isDeleted(), expires).toItem());
        }
        if (found.idempotencyKey() == null) {
            return Uni.createFrom().item(items);
        }
        return IdempotencyItem.find(table, caller.uuid(), found.idempotencyKey()).map(record -> {
            // The record's copy is the message as posted (without its key): it follows the change.
            record.ifPresent(r -> items.add(r.withCreated(after.postedWith(null)).toItem()));
            return items;
        });
    }

    /** The list entries that show the message follow it before the call answers; when they do not in time, the projection catches up. */
    private Uni<Void> follow(MessageItem after, ConversationItem conversation) {
        Duration deadline = conversations.message().listsDeadline();
        return entries.showChanged(after, Optional.of(conversation.memberUuids()))
                .ifNoItem().after(deadline).failWith(() -> new TimeoutException("lists not updated within " + deadline.toMillis() + " ms"))
                .onFailure(failure -> failure instanceof ListEntryMoves.NotSettledException || failure instanceof DynamoCalls.Unavailable
                        || failure instanceof TimeoutException)
                .transform(failure -> new ApiException(ErrorCode.LISTS_NOT_UPDATED, "The change is stored, but the conversation "
                        + "lists do not show it yet; they catch up by themselves.", failure));
    }

    private Uni<Revised> revised(MessageItem message) {
        if (message.isDeleted()) {
            return Uni.createFrom().item(new Revised(MessageView.of(message, Optional.empty()), Revised.etagOf(message)));
        }
        return keyring.forReading(message.conversationUuid())
                .map(key -> new Revised(MessageView.of(message, message.text(key)), Revised.etagOf(message)));
    }

    /** If-Match: one of the listed tags is the message's (strong comparison), or {@code *}. */
    private static boolean matches(String ifMatch, MessageItem found) {
        String etag = Revised.etagOf(found);
        for (String tag : ifMatch.split(",")) {
            String trimmed = tag.strip();
            if (trimmed.equals("*") || trimmed.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static UUID other(ConversationItem conversation, User caller) {
        return conversation.memberUuids().stream().filter(member -> !member.equals(caller.uuid())).findFirst().orElse(caller.uuid());
    }

    /** A message's created_at as the service writes it; anything else names no message. */
    private static Instant timeOf(String createdAt) {
        return Timestamps.parse(createdAt).orElseThrow(MessageChangeService::messageNotFound);
    }

    static NotFoundException messageNotFound() {
        return new NotFoundException(ErrorCode.MESSAGE_NOT_FOUND, "The conversation has no message of yours sent at this time.");
    }

    private static ApiException preconditionFailed() {
        return new ApiException(ErrorCode.PRECONDITION_FAILED, "The message changed since you read it; read it again (its ETag).");
    }
}
