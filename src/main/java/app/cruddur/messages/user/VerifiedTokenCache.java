package app.cruddur.messages.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers the identities of access tokens that quarkus-oidc has verified, until each token
 * expires, so that a caller's next requests with the same token skip the signature check and the
 * claim parsing (about an eighth of a request's CPU time: docs/performance.md).
 *
 * <p>The key is the whole token, byte for byte, so only a token identical to one verified before
 * is ever answered from here; its {@code exp} bounds the entry, so no token outlives what the
 * verification would have allowed. Verifying a JWT never asked Cognito whether it was revoked, so
 * remembering the result changes nothing there. Filled as the last step of every successful
 * verification (a {@link SecurityIdentityAugmentor} that runs after all others), read by
 * {@link VerifiedTokenMechanism}.
 */
@Singleton
public class VerifiedTokenCache implements SecurityIdentityAugmentor {

    private final Cache<String, Entry> identities;
    private final Clock clock;
    private final boolean enabled;

    public VerifiedTokenCache(VerifiedTokensConfig config, Clock clock) {
        this.clock = clock;
        this.enabled = config.maxSize() > 0;
        this.identities = Caffeine.newBuilder()
                .maximumSize(Math.max(config.maxSize(), 0))
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String token, Entry entry, long currentTime) {
                        return Math.max(0, entry.expiresAt().toEpochMilli() - clock.millis()) * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String token, Entry entry, long currentTime, long currentDuration) {
                        return expireAfterCreate(token, entry, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String token, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    private record Entry(SecurityIdentity identity, Instant expiresAt) {
    }

    /** The identity verified for exactly this token, while the token is valid. */
    public Optional<SecurityIdentity> find(String token) {
        if (!enabled) {
            return Optional.empty();
        }
        Entry entry = identities.getIfPresent(token);
        if (entry == null || !clock.instant().isBefore(entry.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(entry.identity());
    }

    /** Applied after every other augmentor: what is remembered is the identity as the request would see it. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (enabled && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0) {
            AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
            if (credential != null && credential.getToken() != null) {
                identities.put(credential.getToken(), new Entry(withoutRequest(identity),
                        Instant.ofEpochSecond(jwt.getExpirationTime())));
            }
        }
        return Uni.createFrom().item(identity);
    }

    /** The identity without what belongs to the request that verified it (quarkus-oidc keeps its RoutingContext there). */
    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder copy = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .setAnonymous(identity.isAnonymous())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials());
        for (Map.Entry<String, Object> attribute : identity.getAttributes().entrySet()) {
            if (!(attribute.getValue() instanceof RoutingContext) && !attribute.getKey().equals(RoutingContext.class.getName())) {
                copy.addAttribute(attribute.getKey(), attribute.getValue());
            }
        }
        return copy.build();
    }
}
