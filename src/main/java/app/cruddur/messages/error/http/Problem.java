package app.cruddur.messages.error.http;

import app.cruddur.messages.error.ErrorCode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem document with the machine-readable {@code code} clients branch on. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "An RFC 9457 problem document; code is what a client branches on")
public record Problem(
        @Schema(description = "A URI naming the kind of problem", required = true) String type,
        @Schema(description = "A short summary of the kind of problem", required = true) String title,
        @Schema(description = "The HTTP status", required = true) int status,
        @Schema(description = "What went wrong with this request") String detail,
        @Schema(description = "The machine-readable code (docs/api.md, \"Error codes\")", required = true) String code,
        @Schema(description = "With validation_failed: every rule the request broke") List<String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, ErrorCode code, String detail) {
        return of(status, title, code, detail, List.of());
    }

    public static Problem of(int status, String title, ErrorCode code, String detail, List<ErrorCode> errors) {
        return new Problem("https://cruddur.app/problems/" + code.code(), title, status, detail, code.code(),
                errors.stream().map(ErrorCode::code).toList());
    }
}
