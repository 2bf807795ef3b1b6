package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.table.TableClient.Page;
import app.cruddur.messages.conversation.service.PageRequest;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * Pagination travels in a {@code Link: <...>; rel="next"} header, so the body stays the plain
 * array the frontend reads. The link is relative to the request, so it stays right behind proxies.
 */
final class PageLinks {

    private PageLinks() {
    }

    static Response ok(Object body, Page<?> page, PageRequest request, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(body);
        page.olderThanSk().ifPresent(sk -> {
            URI next = uri.getRequestUriBuilder()
                    .replaceQueryParam("limit", request.limit())
                    .replaceQueryParam("cursor", PageRequest.encode(sk))
                    .build();
            response.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
        });
        return response.build();
    }
}
