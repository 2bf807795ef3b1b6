package app.cruddur.messages.error;

import java.util.List;

/** A well-formed request that breaks the rules: 422 with every broken rule's code in {@code errors}. */
public class ValidationException extends ApiException {

    public ValidationException(List<ErrorCode> errors) {
        super(ErrorCode.VALIDATION_FAILED, "The request breaks these rules: "
                + String.join(", ", errors.stream().map(ErrorCode::code).toList()), errors, null);
    }

    public ValidationException(ErrorCode error) {
        this(List.of(error));
    }
}
