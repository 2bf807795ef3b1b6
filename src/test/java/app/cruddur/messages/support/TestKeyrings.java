package app.cruddur.messages.support;

import app.cruddur.messages.cipher.Keyring;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.table.Caller;
import app.cruddur.messages.table.KeysTable;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.tools.KeyringSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The keyring of a test outside Quarkus, on the local stack's key table and KMS key (as a packaged
 * service or a tool started on that stack uses them), to read what a test put into the table
 * through a plain client.
 */
public final class TestKeyrings {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The keyring of the default key table, as the service and the tools use it. */
    public static Keyring of(LocalStackProcess stack, DynamoDbAsyncClient dynamo) {
        return Keyring.start(dynamo, config(stack, KeysTable.DEFAULT_NAME, MessagesTable.DEFAULT_NAME, true), new SimpleMeterRegistry(),
                Clock.systemUTC(), Caller.TOOLS);
    }

    /** A message with its text opened (or the empty text when it does not open). */
    public static MessageItem opened(Keyring keyring, MessageItem message) {
        String text = message.text(keyring.forReading(message.conversationUuid()).await().atMost(WAIT)).orElse("");
        return new MessageItem(message.conversationUuid(), message.createdAt(), message.messageUuid(), text, message.userUuid(),
                message.userDisplayName(), message.userHandle());
    }

    /** A list entry's text opened (or the empty text when it does not open). */
    public static String text(Keyring keyring, ListEntryItem entry) {
        return entry.text(keyring.forReading(entry.conversationUuid()).await().atMost(WAIT)).orElse("");
    }

    /** The settings of a keyring on the local stack's KMS, as the tools make them. */
    public static KeyringSettings config(LocalStackProcess stack, String keyTable, String context, boolean createTable) {
        return new KeyringSettings(stack.kmsKeyId(), Optional.of(URI.create(stack.kmsEndpoint())), "us-east-1", keyTable, context,
                createTable, KeyringSettings.CACHED_KEY_LIFE);
    }

    private TestKeyrings() {
    }
}
