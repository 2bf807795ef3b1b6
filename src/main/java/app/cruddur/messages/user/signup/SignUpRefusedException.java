package app.cruddur.messages.user.signup;

/**
 * A confirmed Cognito user that cannot become a Cruddur user as they are: a missing or unusable
 * attribute, or a handle that another user has. The message is shown to the person signing up
 * (Cognito answers "PostConfirmation failed with error <message>."), so it names no internals.
 */
public final class SignUpRefusedException extends RuntimeException {

    public SignUpRefusedException(String message) {
        // No stack trace: the refusal is the answer, not a fault of the code.
        super(message, null, false, false);
    }
}
