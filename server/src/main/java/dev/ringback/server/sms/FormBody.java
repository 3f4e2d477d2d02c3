package dev.ringback.server.sms;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** application/x-www-form-urlencoded bodies, as Twilio posts them. */
public final class FormBody {
    private FormBody() {}

    public static Map<String, String> parse(byte[] body) throws InvalidWebhookException {
        Map<String, String> out = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) return out;
        try {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (out.put(name, value) != null) throw new InvalidWebhookException("form field '" + name + "' is given twice");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidWebhookException("body is not valid application/x-www-form-urlencoded: " + e.getMessage());
        }
        return out;
    }
}
