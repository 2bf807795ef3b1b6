package app.cruddur.messages.user;

import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

/**
 * Part of verifying every token (quarkus-oidc runs each {@link Validator} bean with its own
 * checks): the {@code sub} names the caller, so it must be there and be an identifier, visible
 * characters only. Cognito's are UUIDs. A correctly signed token without one, or with NUL or other
 * control, format or separator characters in it, is an invalid token (401), not a failed lookup:
 * PostgreSQL refuses NUL in text, and a missing sub has nothing to look up.
 */
@Singleton
@Unremovable
public class SubjectClaim implements Validator {

    @Override
    public String validate(JwtContext context) throws MalformedClaimException {
        String sub = context.getJwtClaims().getSubject();
        if (sub == null || sub.isEmpty()) {
            return "The token has no sub";
        }
        return sub.codePoints().allMatch(SubjectClaim::visible) ? null : "The token's sub is not an identifier";
    }

    private static boolean visible(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
