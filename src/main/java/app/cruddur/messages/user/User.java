package app.cruddur.messages.user;

import java.util.UUID;

/** A Cruddur user as the messaging service sees it. */
public record User(UUID uuid, String handle, String displayName) {
}
