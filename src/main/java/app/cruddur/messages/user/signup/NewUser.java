package app.cruddur.messages.user.signup;

import app.cruddur.messages.user.UserDirectory;
import java.util.Map;

/**
 * The users row a confirmed Cognito user becomes, from the attributes Cognito sends: {@code sub}
 * (cognito_user_id), {@code preferred_username} (handle), {@code name} (display_name) and
 * {@code email}. {@link #of} refuses what the service could not use.
 */
public record NewUser(String sub, String handle, String displayName, String email) {

    /** The longest handle the service looks up: a longer one could never be found (a constant: the jar needs no UserDirectory). */
    public static final int MAX_HANDLE_LENGTH = UserDirectory.MAX_HANDLE_LENGTH;
    /** Copied into every message and conversation row the user writes, so kept short. */
    public static final int MAX_DISPLAY_NAME_LENGTH = 100;
    /** The longest address SMTP can deliver to. */
    public static final int MAX_EMAIL_LENGTH = 254;
    /** Cognito's subs are UUIDs (36 characters). */
    public static final int MAX_SUB_LENGTH = 128;

    /** The user these attributes describe, or a {@link SignUpRefusedException} saying what is wrong. */
    public static NewUser of(Map<String, String> attributes) {
        String sub = attributes.get("sub");
        if (sub == null || sub.isEmpty() || sub.length() > MAX_SUB_LENGTH || !sub.codePoints().allMatch(NewUser::visible)) {
            throw new SignUpRefusedException("The account has no usable identifier (sub).");
        }
        String handle = attributes.get("preferred_username");
        if (handle == null || handle.isBlank()) {
            throw new SignUpRefusedException("A handle (preferred_username) is required.");
        }
        if (handle.length() > MAX_HANDLE_LENGTH) {
            throw new SignUpRefusedException("The handle is longer than " + MAX_HANDLE_LENGTH + " characters.");
        }
        // A handle is one path segment of /api/users/@{handle}/short and is matched exactly.
        if (!handle.codePoints().allMatch(c -> visible(c) && c != '/')) {
            throw new SignUpRefusedException("The handle may not contain spaces, slashes or control characters.");
        }
        String name = attributes.get("name");
        if (name == null || name.isBlank()) {
            throw new SignUpRefusedException("A display name (name) is required.");
        }
        if (name.length() > MAX_DISPLAY_NAME_LENGTH) {
            throw new SignUpRefusedException("The display name is longer than " + MAX_DISPLAY_NAME_LENGTH + " characters.");
        }
        if (!name.codePoints().allMatch(NewUser::printable)) {
            throw new SignUpRefusedException("The display name may not contain line breaks or control characters.");
        }
        String email = attributes.get("email");
        if (email == null || email.isBlank()) {
            throw new SignUpRefusedException("An email address is required.");
        }
        if (email.length() > MAX_EMAIL_LENGTH || !email.codePoints().allMatch(NewUser::visible)) {
            throw new SignUpRefusedException("The email address is not usable.");
        }
        return new NewUser(sub, handle, name, email);
    }

    /** Never the email: what the log may show of this user. */
    @Override
    public String toString() {
        return "NewUser[sub=" + sub + ", handle=" + handle + "]";
    }

    /** A character that shows: no control, format, separator (spaces included), unpaired surrogate or unassigned one. */
    static boolean visible(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Text on one line: spaces and joiners (as in emoji sequences) are fine, controls and line breaks are not. */
    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.SURROGATE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
