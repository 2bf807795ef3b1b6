package app.cruddur.messages.bench;

import java.util.UUID;

/** A user the benchmarks act as or talk to; {@code accessToken} is null for a user who never signs in. */
record BenchUser(UUID uuid, String handle, String displayName, String accessToken) {
}
