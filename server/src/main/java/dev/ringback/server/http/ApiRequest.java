package dev.ringback.server.http;

import java.util.Map;

/** A parsed HTTP request, free of Netty types so routes are plain code. */
public record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
