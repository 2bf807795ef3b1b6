package app.cruddur.messages.cipher;

import app.cruddur.messages.table.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The service's {@link Keyring}, made at start: a KMS key that is missing, unreachable or wrong
 * stops the start with the reason, before the service takes a request.
 */
public class KeyringProducer {

    @Produces
    @Singleton
    @Startup
    Keyring keyring(DynamoDbAsyncClient dynamo, EncryptionConfig config, MeterRegistry registry, Clock clock) {
        return Keyring.start(dynamo, config, registry, clock, Caller.SERVICE);
    }
}
