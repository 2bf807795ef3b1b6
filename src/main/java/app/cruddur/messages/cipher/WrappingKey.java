package app.cruddur.messages.cipher;

import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.WrappingKeyItem;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;


/**
 * The wrapping key: a Tink AEAD keyset that encrypts every conversation's keyset, kept in the key
 * table encrypted by the KMS key ({@link WrappingKeyItem}). The first instance to start makes it
 * (KMS Encrypt, then a conditional put); every start decrypts it once (KMS Decrypt), with the
 * configured KMS key id and the messages table's name as encryption context, so a wrapping key of
 * another KMS key or another table stops the start with KMS' own reason.
 */
final class WrappingKey {

    private static final Duration TABLE_DEADLINE = Duration.ofSeconds(10);

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private WrappingKey() {
    }

    /** The encryption context of the wrapping key's KMS calls (CloudTrail logs it with each use). */
    static Map<String, String> kmsContext(String context) {
        return Map.of("purpose", "cruddur-messages wrapping key", "table", context);
    }

    /** Loads the wrapping key, making it first when the key table has none. Blocking: at start and in tools. */
    static Aead load(TableClient keys, Kms kms, String kmsKeyId, String context) {
        WrappingKeyItem item = WrappingKeyItem.find(keys).await().atMost(TABLE_DEADLINE)
                .orElseGet(() -> create(keys, kms, kmsKeyId, context));
        byte[] keyset;
        try {
            keyset = kms.decrypt(kmsKeyId, item.wrappedKeyset(), kmsContext(context));
        } catch (Kms.KmsException e) {
            throw new IllegalStateException("The wrapping key in " + keys.table() + " (made with KMS key " + item.kmsKeyId()
                    + ") cannot be decrypted with the configured KMS key " + kmsKeyId
                    + " (cruddur.messages.encryption.kms-key-id): " + e.getMessage(), e);
        }
        return aead(parse(keyset));
    }

    private static WrappingKeyItem create(TableClient keys, Kms kms, String kmsKeyId, String context) {
        byte[] keyset;
        try {
            keyset = TinkProtoKeysetFormat.serializeKeyset(generate(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the wrapping key could not be written: " + e.getMessage(), e);
        }
        Kms.Encrypted wrapped;
        try {
            wrapped = kms.encrypt(kmsKeyId, keyset, kmsContext(context));
        } catch (Kms.KmsException e) {
            throw new IllegalStateException("The configured KMS key " + kmsKeyId
                    + " (cruddur.messages.encryption.kms-key-id) cannot make the wrapping key: " + e.getMessage(), e);
        }
        WrappingKeyItem item = new WrappingKeyItem(wrapped.blob(), kmsKeyId, 1);
        boolean written = item.create(keys).await().atMost(TABLE_DEADLINE);
        if (written) {
            return item;
        }
        // Another instance made it a moment ago: use theirs.
        return WrappingKeyItem.find(keys).await().atMost(TABLE_DEADLINE)
                .orElseThrow(() -> new IllegalStateException("the wrapping key in " + keys.table() + " vanished while it was made"));
    }

    static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no AES-256-GCM key could be made: " + e.getMessage(), e);
        }
    }

    static Aead aead(KeysetHandle handle) {
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a keyset is not an AEAD keyset: " + e.getMessage(), e);
        }
    }

    private static KeysetHandle parse(byte[] keyset) {
        try {
            return TinkProtoKeysetFormat.parseKeyset(keyset, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the wrapping key is not a Tink keyset: " + e.getMessage(), e);
        }
    }

}
