package dev.ringback.server.http;

import java.nio.charset.StandardCharsets;

/** A reply the HTTP layer writes as is. */
public record ApiResponse(int status, String contentType, byte[] body) {
    public static ApiResponse json(int status, String json) {
        return new ApiResponse(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }
}
