package app.cruddur.messages.error;

import java.util.List;

/** A well-formed request that breaks the rules: 422 with every broken rule's code in {@code errors}. */
public class ValidationException extends ApiException {

    public ValidationException(List<String> errors) {
        super(422, "validation_failed", "The request breaks these rules: " + String.join(", ", errors), errors, null);
    }

    public ValidationException(String error) {
        this(List.of(error));
    }
}
