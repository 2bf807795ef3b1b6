package app.cruddur.messages.conversation.service;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.conversation.repository.ContentionException;
import app.cruddur.messages.conversation.repository.ConversationRepository;
import app.cruddur.messages.conversation.repository.IdempotencyKeyTakenException;
import app.cruddur.messages.table.TableClient.Page;
import app.cruddur.messages.conversation.repository.PairTakenException;
import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.events.EventPublisher;
import app.cruddur.messages.block.BlockService;
import app.cruddur.messages.limits.RateLimiter;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Keys;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.view.ListEntryView;
import app.cruddur.messages.view.MessageView;
import app.cruddur.messages.trace.wire.TraceParent;
import app.cruddur.messages.user.User;
import app.cruddur.messages.user.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** The messaging rules: who may read and write which conversation, and how a message is stored. */
@ApplicationScoped
public class ConversationService {

    /** Visible ASCII, as the Idempotency-Key draft's examples (UUIDs, random tokens) are. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final ConversationRepository repository;
    private final TableClient table;
    private final ConversationMembers members;
    private final UserDirectory users;
    private final ConversationConfig config;
    private final Clock clock;
    private final EventPublisher events;
    private final BlockService blocks;
    private final RateLimiter limiter;
    private final Keyring keyring;

    public ConversationService(ConversationRepository repository, TableClient table, ConversationMembers members, UserDirectory users,
                               ConversationConfig config, Clock clock, EventPublisher events, BlockService blocks, RateLimiter limiter,
                               Keyring keyring) {
        this.repository = repository;
        this.table = table;
        this.members = members;
        this.users = users;
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.blocks = blocks;
        this.limiter = limiter;
        this.keyring = keyring;
    }

    /** Pattern A: the caller's conversations, newest reply first, each last message opened with its conversation's key. */
    public Uni<Page<ListEntryView>> conversations(User caller, PageRequest page) {
        return ListEntryItem.listConversations(table, caller.uuid(), page.beforeSk(), page.limit())
                .chain(found -> keyring.forReading(found.items().stream().map(ListEntryItem::conversationUuid).toList())
                        .map(keys -> found.map(entry -> ListEntryView.of(entry, entry.text(keys.get(entry.conversationUuid()))))));
    }

    /** Pattern B: a page of a conversation the caller belongs to, newest first, opened with the conversation's key. */
    public Uni<Page<MessageView>> messages(User caller, String conversationUuid, PageRequest page) {
        UUID group = Keys.parseUuid(conversationUuid).orElseThrow(ConversationService::groupNotFound);
        return member(caller, group)
                .chain(() -> Uni.combine().all().unis(MessageItem.pageMessages(table, group, page.beforeSk(), page.limit()),
                        keyring.forReading(group)).asTuple())
                .map(both -> both.getItem1().map(item -> MessageView.inPage(item, item.text(both.getItem2()))));
    }

    /**
     * Patterns C and D: stores the message and returns it as stored, once both members'
     * conversation lists show it (read-your-writes: the frontend reloads the list at once).
     * Refused with nothing stored when either member blocked the other (403), and, for a first
     * message, when the caller opened too many conversations lately (429).
     */
    public Uni<MessageView> post(User caller, PostMessage command, Optional<String> idempotencyKey) {
        Optional<IdempotencyItem> record = idempotencyKey.map(key -> new IdempotencyItem(caller.uuid(), key,
                command.fingerprint(), null, clock.instant().plus(config.idempotency().retention())));
        Uni<MessageItem> stored = command.conversationUuid().isPresent()
                ? append(caller, command.conversationUuid().get(), command.text(), record)
                : messageUser(caller, command.receiverHandle().orElseThrow(), command.text(), record);
        return stored.map(message -> MessageView.of(message, Optional.of(command.text())))
                .onFailure(IdempotencyKeyTakenException.class)
                .recoverWithUni(() -> replay(record.orElseThrow()).chain(this::opened));
    }

    /**
     * A request refused before it was tried (over a rate limit) that is the retry of one already
     * stored: with the same Idempotency-Key and body it gets the first answer, as any retry does;
     * otherwise the refusal stands.
     */
    public Uni<MessageView> firstAnswerOr(User caller, PostMessage command, String idempotencyKey, RuntimeException refusal) {
        return IdempotencyItem.find(table, caller.uuid(), idempotencyKey).chain(found -> {
            if (found.isEmpty() || !found.get().requestHash().equals(command.fingerprint())) {
                return Uni.createFrom().failure(refusal);
            }
            MessageItem created = found.get().created();
            // As on the way under the limit: a block made since stands before the replay.
            return members.of(created.conversationUuid())
                    .call(conversation -> blocks.ensureMayMessage(caller, other(conversation.memberUuids(), caller)))
                    .chain(conversation -> showInLists(created, conversation.memberUuids()))
                    .chain(this::opened);
        });
    }

    /** A stored message as its first answer showed it: its text opened with its conversation's key. */
    private Uni<MessageView> opened(MessageItem message) {
        return keyring.forReading(message.conversationUuid()).map(key -> MessageView.of(message, message.text(key)));
    }

    /**
     * Checks the Idempotency-Key headers of a request, every one as sent: none is fine; an empty
     * one, a malformed one or several are a 422 (a client that sends the header expects retry
     * protection, and would silently get none if such a key were ignored).
     */
    public static Optional<String> idempotencyKey(List<String> headers) {
        if (!idempotencyKeyProblems(headers).isEmpty()) {
            throw new ValidationException(ErrorCode.INVALID_IDEMPOTENCY_KEY);
        }
        return headers.isEmpty() ? Optional.empty() : Optional.of(headers.get(0));
    }

    /** The rule the Idempotency-Key headers break, if any, to be listed with the body's (PostMessage). */
    public static List<ErrorCode> idempotencyKeyProblems(List<String> headers) {
        boolean valid = headers.isEmpty() || headers.size() == 1 && IDEMPOTENCY_KEY.matcher(headers.get(0)).matches();
        return valid ? List.of() : List.of(ErrorCode.INVALID_IDEMPOTENCY_KEY);
    }

    public static NotFoundException groupNotFound() {
        return new NotFoundException(ErrorCode.MESSAGE_GROUP_NOT_FOUND, "No such conversation.");
    }

    private Uni<MessageItem> append(User caller, UUID group, String text, Optional<IdempotencyItem> record) {
        return member(caller, group)
                .call(conversation -> blocks.ensureMayMessage(caller, other(conversation.memberUuids(), caller)))
                .chain(conversation -> appendAndShow(caller, group, text, conversation.memberUuids(), record));
    }

    private Uni<MessageItem> messageUser(User caller, String handle, String text, Optional<IdempotencyItem> record) {
        return users.byHandle(handle)
                .onFailure(NotFoundException.class).transform(e -> new ValidationException(ErrorCode.USER_RECEIVER_NOT_FOUND))
                .chain(receiver -> {
                    if (receiver.uuid().equals(caller.uuid())) {
                        return Uni.createFrom().failure(new ValidationException(ErrorCode.CANNOT_MESSAGE_SELF));
                    }
                    return blocks.ensureMayMessage(caller, receiver.uuid())
                            .chain(() -> PairItem.findGroup(table, caller.uuid(), receiver.uuid()))
                            .chain(existing -> existing.isPresent()
                                    ? appendAndShow(caller, existing.get(), text, pair(caller, receiver), record)
                                    : open(caller, receiver, text, record));
                });
    }

    /**
     * The first message of two users, written together with both list entries (so the lists show it
     * already); when another request opened their conversation first, joins it.
     */
    private Uni<MessageItem> open(User caller, User receiver, String text, Optional<IdempotencyItem> record) {
        UUID group = UUID.randomUUID();
        return limiter.admit(limiter.conversations(), caller.uuid().toString())
                .chain(() -> keyring.forNewConversation(group))
                .chain(key -> repository.create(NewConversation.of(group, newMessage(caller, group, text, key),
                        receiver.uuid(), receiver.displayName(), receiver.handle()), record, key))
                .invoke(created -> {
                    events.messageStored(created.message(), pair(caller, receiver));
                    events.entriesMoved(List.of(created.senderEntry(), created.receiverEntry()));
                })
                .map(NewConversation::message)
                .onFailure(PairTakenException.class).recoverWithUni(() -> PairItem.findGroup(table, caller.uuid(), receiver.uuid())
                        .chain(taken -> taken.isPresent()
                                ? appendAndShow(caller, taken.get(), text, pair(caller, receiver), record)
                                // Taken a moment ago and gone now (a tool deleted it): nothing is stored; retry.
                                : Uni.createFrom().failure(new ContentionException(null))));
    }

    /**
     * Seals a reply with its conversation's key, stores it, publishes it to the members' event
     * streams, then moves both members' group entries to it before the POST answers (each move
     * publishes its entries). An erased conversation takes no new message: it is gone (404).
     */
    private Uni<MessageItem> appendAndShow(User caller, UUID group, String text, Set<UUID> members, Optional<IdempotencyItem> record) {
        return keyring.forWriting(group)
                .onFailure(Keyring.ErasedException.class).transform(erased -> groupNotFound())
                .chain(key -> repository.append(newMessage(caller, group, text, key), record, key))
                .invoke(stored -> events.messageStored(stored, members))
                .chain(stored -> showInLists(stored, members));
    }

    private Uni<MessageItem> showInLists(MessageItem message, Set<UUID> members) {
        return repository.showInLists(message, members).replaceWith(message);
    }

    /**
     * The first answer to an Idempotency-Key, again. The first request may have stopped after
     * storing the message and before the lists showed it, so the lists are brought up to date first.
     */
    private Uni<MessageItem> replay(IdempotencyItem attempted) {
        return IdempotencyItem.find(table, attempted.userUuid(), attempted.idempotencyKey())
                .map(found -> {
                    IdempotencyItem first = found.orElseThrow(() -> new ApiException(ErrorCode.IDEMPOTENCY_KEY_CONFLICT,
                            "The first request with this key is no longer on record; use a new key."));
                    if (!first.requestHash().equals(attempted.requestHash())) {
                        throw new ValidationException(ErrorCode.IDEMPOTENCY_KEY_REUSED);
                    }
                    return first.created();
                })
                .chain(created -> members.of(created.conversationUuid())
                        .chain(conversation -> showInLists(created, conversation.memberUuids())));
    }

    /** The member who is not the caller (a one-to-one conversation has two). */
    private static UUID other(Set<UUID> members, User caller) {
        return members.stream().filter(member -> !member.equals(caller.uuid())).findFirst().orElse(caller.uuid());
    }

    private static Set<UUID> pair(User a, User b) {
        return Set.of(a.uuid(), b.uuid());
    }

    private Uni<ConversationItem> member(User caller, UUID group) {
        return members.of(group).map(conversation -> {
            if (!conversation.hasMember(caller.uuid())) {
                // The same answer as for a conversation that does not exist: no hint that it does.
                throw groupNotFound();
            }
            return conversation;
        });
    }

    private MessageItem newMessage(User sender, UUID group, String text, TextKey key) {
        return MessageItem.sealed(key, group, clock.instant(), UUID.randomUUID(), text, sender.uuid(), sender.displayName(),
                sender.handle()).tracedBy(TraceParent.current().orElse(null));
    }
}
