package dev.ringback.sip.auth;

import java.util.Objects;

/** Digest credentials for the trunk. {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) throw new IllegalArgumentException("username must not be blank");
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=****]";
    }
}
