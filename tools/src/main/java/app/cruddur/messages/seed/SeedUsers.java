package app.cruddur.messages.seed;

import java.util.List;
import java.util.UUID;

/** The seed's users, with fixed uuids so that seeded messages and users always agree. */
public final class SeedUsers {

    public record SeedUser(UUID uuid, String handle, String displayName, String email) {
    }

    public static final SeedUser ANDREW_BROWN = new SeedUser(UUID.fromString("99b3e778-8334-4f68-9076-515ad1934c8a"),
            "andrewbrown", "Andrew Brown", "andrewbrown@cruddur.test");
    public static final SeedUser BAYKO = new SeedUser(UUID.fromString("cd52b8bf-1758-4f91-bb52-e49c598b1410"),
            "bayko", "Andrew Bayko", "bayko@cruddur.test");
    public static final SeedUser LONDO = new SeedUser(UUID.fromString("c8ff3658-3130-4cad-bb60-8928639659a8"),
            "londo", "Londo Mollari", "londo@cruddur.test");

    public static final List<SeedUser> ALL = List.of(ANDREW_BROWN, BAYKO, LONDO);

    private SeedUsers() {
    }
}
