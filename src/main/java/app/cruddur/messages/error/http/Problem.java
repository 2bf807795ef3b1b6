package app.cruddur.messages.error.http;

import app.cruddur.messages.error.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem document with the machine-readable {@code code} clients branch on. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, ErrorCode code, String detail) {
        return of(status, title, code, detail, List.of());
    }

    public static Problem of(int status, String title, ErrorCode code, String detail, List<ErrorCode> errors) {
        return new Problem("https://cruddur.app/problems/" + code.code(), title, status, detail, code.code(),
                errors.stream().map(ErrorCode::code).toList());
    }
}
