package dev.ringback.server.sms;

import java.util.regex.Pattern;

/**
 * Reads a plain request for a phone call in a customer's text ("call me", "give us a ring", "pls call",
 * "can you ring me"), for webhooks that come without the upstream assistant's callback flag.
 */
public final class CallIntent {
    private static final Pattern ASKS = Pattern.compile(
            "\\b(?:call|ring|phone|bell)\\s+(?:me|us)\\b"
                    + "|\\bgive\\s+(?:me|us)\\s+a\\s+(?:ring|call|bell|buzz)\\b"
                    + "|\\b(?:pls|plz|please)\\s+(?:call|ring|phone)\\b"
                    + "|\\b(?:can|could|would|will)\\s+(?:you|u|someone|somebody)\\s+(?:please\\s+|pls\\s+)?(?:call|ring|phone)\\b"
                    + "|\\bcall\\s*back\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DECLINES = Pattern.compile(
            "\\b(?:don'?t|do\\s+not|dont|no\\s+need\\s+to|never|please\\s+don'?t|not)\\s+(?:\\w+\\s+)?(?:call|ring|phone)\\b",
            Pattern.CASE_INSENSITIVE);

    private CallIntent() {}

    public static boolean asksForCall(String text) {
        if (text == null || text.isBlank()) return false;
        String t = text.replace('\u2019', '\'');
        return ASKS.matcher(t).find() && !DECLINES.matcher(t).find();
    }
}
