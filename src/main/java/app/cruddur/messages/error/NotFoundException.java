package app.cruddur.messages.error;

/** 404 with a code; also what a caller sees for something that exists but is not theirs to see. */
public class NotFoundException extends ApiException {

    public NotFoundException(ErrorCode code, String detail) {
        super(code, detail);
    }
}
