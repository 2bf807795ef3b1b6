package app.cruddur.messages.user;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * Asked before quarkus-oidc: a request whose only Authorization header is {@code Bearer <token>}
 * with a token verified before ({@link VerifiedTokenCache}) is that token's identity at once.
 * Every other request (no token, a new or expired token, another scheme, several headers) goes on
 * to quarkus-oidc unchanged, which verifies it, answers its failures and sends its challenges.
 */
@Singleton
public class VerifiedTokenMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final VerifiedTokenCache cache;

    public VerifiedTokenMechanism(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        List<String> headers = context.request().headers().getAll(HttpHeaders.AUTHORIZATION);
        if (headers.size() != 1 || !headers.get(0).startsWith(BEARER)) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(cache.find(headers.get(0).substring(BEARER.length())).orElse(null));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    /** None of its own: it only recognises what quarkus-oidc's bearer mechanism accepted before. */
    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    /** Before quarkus-oidc's mechanism (whose priority is {@code quarkus.oidc.priority}, 1001 by default). */
    @Override
    public int getPriority() {
        return 2000;
    }
}
