package app.cruddur.messages.error;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A test-only endpoint with a bug: what a caller sees of an exception nobody expected. */
@Path("/api/test-only/failing")
@PermitAll
public class FailingResource {

    @GET
    public String fails() {
        throw new IllegalStateException("internal detail: app.cruddur.messages.secret.Thing");
    }
}
