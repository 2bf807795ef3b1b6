package app.cruddur.messages.error;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A test-only endpoint that says nothing about who may call it: the service refuses it to everyone
 * (quarkus.security.jaxrs.deny-unannotated-endpoints), with a problem document.
 */
@Path("/api/test-only/unannotated")
public class UnannotatedResource {

    @GET
    public String reachable() {
        return "this must never be answered";
    }
}
