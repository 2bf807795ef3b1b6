package app.cruddur.messages.tools;

import app.cruddur.messages.cipher.EncryptionConfig;
import app.cruddur.messages.table.KeysTable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The texts' keys as a tool (or a test outside the service) reaches them: the KMS key, its endpoint
 * (the local stack's, or the region's), the key table and the name ciphertexts are bound to, with the
 * service's own defaults. Only a local stack's key table is made when missing.
 */
public record KeyringSettings(String kmsKeyId, Optional<URI> kmsEndpoint, String region, String keyTable, String context,
                              boolean createKeyTableIfMissing, Duration cachedKeyLife) implements EncryptionConfig {

    /** The service's default: how long a key is held in memory before it is read again. */
    public static final Duration CACHED_KEY_LIFE = Duration.ofMinutes(5);

    /** The variables a tool reads, named as the service's (MESSAGES_KEY_TABLE_NAME, MESSAGES_TABLE_CONTEXT). */
    public static KeyringSettings of(String kmsKeyId, Optional<URI> kmsEndpoint, String region, java.util.Map<String, String> env,
                                     boolean local) {
        return new KeyringSettings(kmsKeyId, kmsEndpoint, region, env.getOrDefault("MESSAGES_KEY_TABLE_NAME", KeysTable.DEFAULT_NAME),
                env.getOrDefault("MESSAGES_TABLE_CONTEXT", "cruddur-messages"), local, CACHED_KEY_LIFE);
    }

    public KeyringSettings withKeyTable(String table) {
        return new KeyringSettings(kmsKeyId, kmsEndpoint, region, table, context, createKeyTableIfMissing, cachedKeyLife);
    }

    public KeyringSettings withKmsKeyId(String keyId) {
        return new KeyringSettings(keyId, kmsEndpoint, region, keyTable, context, createKeyTableIfMissing, cachedKeyLife);
    }

    public KeyringSettings withContext(String name) {
        return new KeyringSettings(kmsKeyId, kmsEndpoint, region, keyTable, name, createKeyTableIfMissing, cachedKeyLife);
    }

    public KeyringSettings withCachedKeyLife(Duration life) {
        return new KeyringSettings(kmsKeyId, kmsEndpoint, region, keyTable, context, createKeyTableIfMissing, life);
    }

    @Override
    public boolean acceptPlainTexts() {
        return true;
    }

    @Override
    public long cachedKeys() {
        return 10_000;
    }

}
