package app.cruddur.messages.events;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;

/** Redis (the event fan-out, the tickets) is unreachable or silent: streams cannot be fed; the REST API works on. */
public class EventsUnavailableException extends ApiException {

    public EventsUnavailableException(String why) {
        super(ErrorCode.EVENTS_UNAVAILABLE, "Events are unavailable for a moment (" + why + "); retry shortly.");
    }

    @Override
    public String failedPart() {
        return "redis";
    }
}
