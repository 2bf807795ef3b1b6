package app.cruddur.messages.cipher;

import app.cruddur.messages.table.KeysTable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** How message texts are sealed (docs/security.md, "Client-side encryption"). */
@ConfigMapping(prefix = "cruddur.messages.encryption")
public interface EncryptionConfig {

    /**
     * The KMS key that wraps the wrapping key: its ARN, id or alias. Required: without it the
     * service does not start.
     */
    String kmsKeyId();

    /** KMS' endpoint; unset, the region's (through the VPC's interface endpoint in AWS). The local stack sets its own. */
    Optional<URI> kmsEndpoint();

    /** The region KMS is called in. */
    @WithDefault("us-east-1")
    String region();

    /** The key table (table/KeysTable). */
    @WithDefault(KeysTable.DEFAULT_NAME)
    String keyTable();

    /**
     * The name every ciphertext is bound to, with its conversation and time: the messages table's
     * logical name. It stays the same when the table is restored under another name.
     */
    @WithDefault("cruddur-messages")
    String context();

    /**
     * Whether a text stored before texts were sealed (no {@code c1:} prefix) is shown as it is. Turn
     * it off once bin/ddb/encrypt-texts has sealed every item: a plain text is then unavailable.
     */
    @WithDefault("true")
    boolean acceptPlainTexts();

    /** Opened conversation keys kept in memory. */
    @WithDefault("100000")
    long cachedKeys();

    /**
     * How long an opened key is kept before it is read again (one GetItem per conversation and
     * instance): the longest a running instance goes on using a key that was erased or rotated.
     */
    @WithDefault("5m")
    Duration cachedKeyLife();

    /** Create the key table at start when it is missing (dev and test only; in AWS it is infrastructure). */
    @WithDefault("false")
    boolean createKeyTableIfMissing();
}
