package app.cruddur.messages.bench;

import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.DynamoDbItemEncryptor;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.DecryptItemInput;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.DynamoDbItemEncryptorConfig;
import software.amazon.cryptography.dbencryptionsdk.dynamodb.itemencryptor.model.EncryptItemInput;
import software.amazon.cryptography.dbencryptionsdk.structuredencryption.model.CryptoAction;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.DBEAlgorithmSuiteId;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * The two candidates for encrypting a message's text at rest, on the service's own items: Tink's
 * AEAD (AES-256-GCM) over the text alone, bound to the message's identity, and the AWS Database
 * Encryption SDK's item encryptor (raw AES keyring, its HMAC-only suite, the text encrypted, the other
 * attributes signed).
 * Per request of the patterns: B reads a page of 20 messages, A a list of 10 entries, C writes a
 * reply and moves both members' entries. With Tink the reply's ciphertext is made once and copied
 * into the entries (it is bound to the message, not to the item); the item encryptor encrypts each
 * item on its own, since each carries its own header and signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CipherBenchmark {

    static final int PAGE = 20;
    static final int LIST = 10;
    static final String TABLE = MessagesTable.DEFAULT_NAME;

    Aead tink;
    DynamoDbItemEncryptor itemEncryptor;
    UUID conversation;
    MessageItem reply;
    ListEntryItem senderEntry;
    ListEntryItem receiverEntry;
    /** As stored by each candidate. */
    List<Map<String, AttributeValue>> tinkPage;
    List<Map<String, AttributeValue>> tinkList;
    List<Map<String, AttributeValue>> sdkPage;
    List<Map<String, AttributeValue>> sdkList;

    @Setup
    public void setUp() throws GeneralSecurityException {
        AeadConfig.register();
        tink = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM).getPrimitive(RegistryConfiguration.get(), Aead.class);
        itemEncryptor = itemEncryptor();
        conversation = UUID.randomUUID();
        Instant start = Instant.parse("2026-11-24T09:30:15.123456Z");
        List<MessageItem> messages = new ArrayList<>();
        for (int i = 0; i < PAGE; i++) {
            messages.add(message(conversation, start.plusSeconds(i), i));
        }
        reply = message(conversation, start.plusSeconds(PAGE), PAGE);
        UUID sender = reply.userUuid();
        senderEntry = new ListEntryItem(sender, reply.createdAt(), conversation, reply.message(), UUID.randomUUID(), "Londo", "londo");
        receiverEntry = new ListEntryItem(UUID.randomUUID(), reply.createdAt(), conversation, reply.message(), sender, "Andrew Brown",
                "andrewbrown");
        tinkPage = new ArrayList<>();
        sdkPage = new ArrayList<>();
        for (MessageItem message : messages) {
            tinkPage.add(withText(message.toItem(), tinkSeal(message.message(), message.conversationUuid(), message.messageUuid())));
            sdkPage.add(itemEncryptor.EncryptItem(EncryptItemInput.builder().plaintextItem(message.toItem()).build()).encryptedItem());
        }
        tinkList = new ArrayList<>();
        sdkList = new ArrayList<>();
        for (int i = 0; i < LIST; i++) {
            MessageItem last = messages.get(i);
            ListEntryItem entry = new ListEntryItem(sender, last.createdAt(), UUID.randomUUID(), last.message(), UUID.randomUUID(),
                    "Someone " + i, "someone" + i);
            // With Tink an entry keeps the uuid of the message whose ciphertext it copied: that is what opens it.
            Map<String, AttributeValue> stored = withText(entry.toItem(), tinkSeal(entry.message(), entry.conversationUuid(), last.messageUuid()));
            stored.put(MessageItem.MESSAGE_UUID, AttributeValue.fromS(last.messageUuid().toString()));
            tinkList.add(stored);
            sdkList.add(itemEncryptor.EncryptItem(EncryptItemInput.builder().plaintextItem(entry.toItem()).build()).encryptedItem());
        }
    }

    // --- B: a page of 20 messages ------------------------------------------------------------

    @Benchmark
    public void tinkPageB(Blackhole out) throws GeneralSecurityException {
        for (Map<String, AttributeValue> item : tinkPage) {
            out.consume(tinkOpen(item.get(MessagesTable.MESSAGE).s(), conversation, UUID.fromString(item.get(MessageItem.MESSAGE_UUID).s())));
        }
    }

    @Benchmark
    public void itemEncryptorPageB(Blackhole out) {
        for (Map<String, AttributeValue> item : sdkPage) {
            out.consume(itemEncryptor.DecryptItem(DecryptItemInput.builder().encryptedItem(item).build()).plaintextItem());
        }
    }

    // --- A: a list of 10 entries ------------------------------------------------------------

    @Benchmark
    public void tinkListA(Blackhole out) throws GeneralSecurityException {
        for (Map<String, AttributeValue> item : tinkList) {
            out.consume(tinkOpen(item.get(MessagesTable.MESSAGE).s(), UUID.fromString(item.get(MessagesTable.MESSAGE_GROUP_UUID).s()),
                    UUID.fromString(item.get(MessageItem.MESSAGE_UUID).s())));
        }
    }

    @Benchmark
    public void itemEncryptorListA(Blackhole out) {
        for (Map<String, AttributeValue> item : sdkList) {
            out.consume(itemEncryptor.DecryptItem(DecryptItemInput.builder().encryptedItem(item).build()).plaintextItem());
        }
    }

    // --- C: a reply and the move of both entries -----------------------------------------------

    @Benchmark
    public void tinkReplyC(Blackhole out) throws GeneralSecurityException {
        String sealed = tinkSeal(reply.message(), reply.conversationUuid(), reply.messageUuid());
        out.consume(withText(reply.toItem(), sealed));
        out.consume(withText(senderEntry.toItem(), sealed));
        out.consume(withText(receiverEntry.toItem(), sealed));
    }

    @Benchmark
    public void itemEncryptorReplyC(Blackhole out) {
        out.consume(itemEncryptor.EncryptItem(EncryptItemInput.builder().plaintextItem(reply.toItem()).build()).encryptedItem());
        out.consume(itemEncryptor.EncryptItem(EncryptItemInput.builder().plaintextItem(senderEntry.toItem()).build()).encryptedItem());
        out.consume(itemEncryptor.EncryptItem(EncryptItemInput.builder().plaintextItem(receiverEntry.toItem()).build()).encryptedItem());
    }

    // --- the two candidates --------------------------------------------------------------

    /** What a ciphertext is bound to: the table, the conversation and the message. */
    static byte[] associatedData(UUID conversation, UUID message) {
        return (TABLE + "|" + conversation + "|" + message).getBytes(StandardCharsets.UTF_8);
    }

    String tinkSeal(String text, UUID conversation, UUID message) throws GeneralSecurityException {
        return Base64.getEncoder().encodeToString(tink.encrypt(text.getBytes(StandardCharsets.UTF_8), associatedData(conversation, message)));
    }

    String tinkOpen(String sealed, UUID conversation, UUID message) throws GeneralSecurityException {
        return new String(tink.decrypt(Base64.getDecoder().decode(sealed), associatedData(conversation, message)), StandardCharsets.UTF_8);
    }

    static Map<String, AttributeValue> withText(Map<String, AttributeValue> item, String sealed) {
        Map<String, AttributeValue> stored = new HashMap<>(item);
        stored.put(MessagesTable.MESSAGE, AttributeValue.fromS(sealed));
        return stored;
    }

    static DynamoDbItemEncryptor itemEncryptor() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        MaterialProviders providers = MaterialProviders.builder().MaterialProvidersConfig(MaterialProvidersConfig.builder().build()).build();
        IKeyring keyring = providers.CreateRawAesKeyring(CreateRawAesKeyringInput.builder()
                .keyNamespace("cruddur").keyName("messages").wrappingKey(ByteBuffer.wrap(key))
                .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16).build());
        Map<String, CryptoAction> actions = new HashMap<>();
        for (String signed : List.of(MessagesTable.PK, MessagesTable.SK, MessageItem.MESSAGE_UUID, MessagesTable.USER_UUID,
                MessagesTable.USER_DISPLAY_NAME, MessagesTable.USER_HANDLE, MessagesTable.MESSAGE_GROUP_UUID)) {
            actions.put(signed, CryptoAction.SIGN_ONLY);
        }
        actions.put(MessagesTable.MESSAGE, CryptoAction.ENCRYPT_AND_SIGN);
        return DynamoDbItemEncryptor.builder().DynamoDbItemEncryptorConfig(DynamoDbItemEncryptorConfig.builder()
                .logicalTableName(TABLE).partitionKeyName(MessagesTable.PK).sortKeyName(MessagesTable.SK)
                .attributeActionsOnEncrypt(actions).keyring(keyring)
                // Its faster suite: HMAC only. The default adds an ECDSA P-384 signature per item, which
                // the service would not need (whoever reads also writes) and which costs milliseconds.
                .algorithmSuiteId(DBEAlgorithmSuiteId.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_SYMSIG_HMAC_SHA384)
                .build()).build();
    }

    static MessageItem message(UUID conversation, Instant at, int i) {
        // 100 characters, as docs/data.md's capacity figures use.
        String text = ("Message " + i + " of the benchmark conversation. ").repeat(5).substring(0, 100);
        return new MessageItem(conversation, at, UUID.randomUUID(), text, UUID.fromString("99b3e778-8334-4f68-9076-515ad1934c8a"),
                "Andrew Brown", "andrewbrown");
    }
}
