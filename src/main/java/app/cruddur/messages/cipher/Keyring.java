package app.cruddur.messages.cipher;

import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.ConversationKeyItem;
import app.cruddur.messages.table.KeysTable;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.TextKey;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * The conversations' keys: each conversation has its own Tink keyset, made when its first message
 * is sealed, kept in the key table encrypted under the wrapping key ({@link WrappingKey}), and held
 * opened in memory (bounded, read again after {@code cached-key-life}). Reading a key
 * costs one strongly consistent GetItem (or one BatchGetItem for a page of the conversation list)
 * when it is not in memory, and no KMS call ever. Destroying a conversation's key ({@link #erase})
 * makes every copy of its texts unreadable, wherever they are (docs/security.md, "Erasure").
 */
public final class Keyring {

    /** A conversation whose key is erased: its texts stay unavailable, and no new one is sealed. */
    public static final class ErasedException extends IllegalStateException {
        ErasedException(UUID conversation) {
            super("the conversation " + conversation + " is erased");
        }
    }

    private final TableClient keys;
    private final Aead wrapping;
    private final String context;
    private final boolean acceptPlainTexts;
    private final UnopenedTexts unopened;
    private final Clock clock;
    private final Cache<UUID, TextKey> opened;

    Keyring(TableClient keys, Aead wrapping, EncryptionConfig config, UnopenedTexts unopened, Clock clock) {
        this.keys = keys;
        this.wrapping = wrapping;
        this.context = config.context();
        this.acceptPlainTexts = config.acceptPlainTexts();
        this.unopened = unopened;
        this.clock = clock;
        // After write, not after access: a key in steady use is read again too, so an erasure or a
        // rotation reaches every running instance within cached-key-life.
        this.opened = Caffeine.newBuilder().maximumSize(config.cachedKeys()).expireAfterWrite(config.cachedKeyLife()).build();
    }

    /**
     * The keyring of a running service or tool: creates the key table first when configured to, then
     * loads the wrapping key through KMS (making it on the very first start). Blocking, and failing
     * with a message that names the setting to check when the KMS key is missing or wrong.
     */
    public static Keyring start(DynamoDbAsyncClient dynamo, EncryptionConfig config, MeterRegistry registry, Clock clock,
                                Caller caller) {
        TableClient keys = TableClient.direct(dynamo, config.keyTable(), null, caller);
        if (config.createKeyTableIfMissing()) {
            createTable(dynamo, config.keyTable());
        }
        try (Kms kms = Kms.of(config.kmsEndpoint(), config.region())) {
            Aead wrapping = WrappingKey.load(keys, kms, config.kmsKeyId(), config.context());
            return new Keyring(keys, wrapping, config, new UnopenedTexts(registry), clock);
        }
    }

    private static void createTable(DynamoDbAsyncClient dynamo, String table) {
        try {
            dynamo.createTable(Caller.TOOLS.tag(KeysTable.createTableRequest(table))).join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw e;
            }
        }
    }

    /** The key table's client (tools). */
    public TableClient keys() {
        return keys;
    }

    /** The key to seal a message of a conversation with: its key, made now when it has none. Fails with {@link ErasedException}. */
    public Uni<TextKey> forWriting(UUID conversation) {
        TextKey cached = opened.getIfPresent(conversation);
        if (cached instanceof ConversationKey) {
            return Uni.createFrom().item(cached);
        }
        if (cached != null) {
            return Uni.createFrom().failure(new ErasedException(conversation));
        }
        return ConversationKeyItem.find(keys, conversation).chain(found -> found.isPresent()
                ? writable(conversation, remember(found.get()))
                : create(conversation));
    }

    /** The key of a conversation that is being opened now (a fresh uuid): made at once, without a read first. */
    public Uni<TextKey> forNewConversation(UUID conversation) {
        return create(conversation);
    }

    /** The key to open a conversation's texts with; one that opens plain texts only when it has none (or it is erased). */
    public Uni<TextKey> forReading(UUID conversation) {
        TextKey cached = opened.getIfPresent(conversation);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return ConversationKeyItem.find(keys, conversation)
                .map(found -> found.map(this::remember).orElseGet(() -> new MissingKey(conversation)));
    }

    /** The same for several conversations at once: one BatchGetItem for those not in memory. */
    public Uni<Map<UUID, TextKey>> forReading(Collection<UUID> conversations) {
        Map<UUID, TextKey> found = new HashMap<>();
        Set<UUID> missing = new HashSet<>();
        for (UUID conversation : conversations) {
            TextKey cached = opened.getIfPresent(conversation);
            if (cached != null) {
                found.put(conversation, cached);
            } else {
                missing.add(conversation);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        return ConversationKeyItem.findAll(keys, missing).map(items -> {
            for (ConversationKeyItem item : items) {
                found.put(item.conversationUuid(), remember(item));
            }
            for (UUID conversation : missing) {
                found.computeIfAbsent(conversation, MissingKey::new);
            }
            return found;
        });
    }

    /**
     * Destroys a conversation's key: its keyset is deleted from the key table and a tombstone stays.
     * This instance forgets it at once; others within {@code cached-key-life}.
     */
    public Uni<Void> erase(UUID conversation) {
        return ConversationKeyItem.erase(keys, conversation, clock.instant())
                .invoke(() -> opened.put(conversation, new MissingKey(conversation, true)));
    }

    /**
     * Rotates a conversation's key: a new AES-256-GCM key becomes the primary of its keyset, which keeps
     * the older ones, so new texts are sealed with the new key and older ones still open. Other
     * instances take it when they next read the key (within {@code cached-key-life}); until then they
     * seal with the older key, which every instance still opens.
     */
    public Uni<Rotation> rotate(UUID conversation) {
        return ConversationKeyItem.find(keys, conversation).chain(found -> {
            if (found.isEmpty() || found.get().erased() || found.get().keyset().isEmpty()) {
                return Uni.createFrom().failure(new ErasedException(conversation));
            }
            ConversationKeyItem item = found.get();
            byte[] rotated;
            int size;
            try {
                KeysetHandle.Builder builder = KeysetHandle.newBuilder(unwrap(item));
                builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary());
                KeysetHandle handle = builder.build();
                size = handle.size();
                rotated = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, wrapping, keysetBinding(conversation));
            } catch (GeneralSecurityException e) {
                return Uni.createFrom().failure(new IllegalStateException("the key of " + conversation + " could not be rotated", e));
            }
            ConversationKeyItem next = new ConversationKeyItem(conversation, Optional.of(rotated), item.createdAt(), Optional.empty());
            return next.replace(keys, item.keyset().orElseThrow()).chain(written -> written
                    ? Uni.createFrom().item(new Rotation(remember(next), size))
                    : Uni.createFrom().failure(new IllegalStateException("the key of " + conversation
                            + " changed while it was rotated; rotate it again")));
        });
    }

    /** A rotated key, and how many keys its keyset now holds (1, plus one per rotation). */
    public record Rotation(TextKey key, int keys) {
    }

    private Uni<TextKey> create(UUID conversation) {
        KeysetHandle handle = WrappingKey.generate();
        byte[] encrypted;
        try {
            encrypted = TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, wrapping, keysetBinding(conversation));
        } catch (GeneralSecurityException e) {
            return Uni.createFrom().failure(new IllegalStateException("a conversation key could not be wrapped: " + e.getMessage(), e));
        }
        ConversationKeyItem item = new ConversationKeyItem(conversation, Optional.of(encrypted), clock.instant(), Optional.empty());
        return item.create(keys).chain(written -> written
                ? Uni.createFrom().item(remember(item))
                // Another request made it first (or the conversation is erased): use what is there.
                : ConversationKeyItem.find(keys, conversation).chain(found -> found.isPresent()
                        ? writable(conversation, remember(found.get()))
                        : Uni.createFrom().failure(new IllegalStateException("the key of " + conversation + " vanished"))));
    }

    private static Uni<TextKey> writable(UUID conversation, TextKey key) {
        return key instanceof ConversationKey ? Uni.createFrom().item(key) : Uni.createFrom().failure(new ErasedException(conversation));
    }

    private TextKey remember(ConversationKeyItem item) {
        TextKey key = item.erased() || item.keyset().isEmpty()
                ? new MissingKey(item.conversationUuid(), true)
                : new ConversationKey(item.conversationUuid(), WrappingKey.aead(unwrap(item)), context, acceptPlainTexts, unopened);
        opened.put(item.conversationUuid(), key);
        return key;
    }

    private KeysetHandle unwrap(ConversationKeyItem item) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(item.keyset().orElseThrow(), wrapping, keysetBinding(item.conversationUuid()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key of " + item.conversationUuid() + " does not open with the wrapping key", e);
        }
    }

    /** A conversation keyset is bound to its conversation: moved to another conversation's item, it does not open. */
    private byte[] keysetBinding(UUID conversation) {
        return ("cruddur-messages conversation key|" + context + "|" + conversation).getBytes(StandardCharsets.UTF_8);
    }

    /** The key of a conversation without one: texts stored before sealing open as they are, sealed ones never. */
    private final class MissingKey implements TextKey {
        private final UUID conversation;
        private final boolean erased;

        MissingKey(UUID conversation) {
            this(conversation, false);
        }

        MissingKey(UUID conversation, boolean erased) {
            this.conversation = conversation;
            this.erased = erased;
        }

        @Override
        public String seal(UUID conversationUuid, Instant sentAt, String text) {
            throw new ErasedException(conversation);
        }

        @Override
        public Optional<String> open(UUID conversationUuid, Instant sentAt, String stored) {
            if (stored == null) {
                return Optional.empty();
            }
            if (!erased && !TextKey.isSealed(stored)) {
                return ConversationKey.plain(stored, acceptPlainTexts, unopened, conversationUuid, sentAt);
            }
            unopened.noKey(conversationUuid, sentAt);
            return Optional.empty();
        }
    }
}
