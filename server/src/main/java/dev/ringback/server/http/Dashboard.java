package dev.ringback.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The operator dashboard: one static page that reads the JSON API. */
final class Dashboard {
    private static final String HTML = load();

    private Dashboard() {}

    static String html() {
        return HTML;
    }

    private static String load() {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dev/ringback/server/dashboard.html")) {
            if (in == null) throw new IllegalStateException("dashboard.html missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
