package dev.ringback.server;

/** Webhook bodies as the upstream SMS assistant sends them. */
public final class Webhooks {
    private Webhooks() {}

    /** The thread of scenario 01 (a running toilet), sent from {@code from}. */
    public static String toiletCallback(String from) {
        return """
                {"from": "%s", "to": "+61290001000",
                 "body": "Hi, our toilet keeps running and I think it needs replacing. Can you call me?",
                 "thread": [
                   {"direction": "inbound", "at": "2026-12-01T09:09:00+11:00",
                    "text": "Hi, our toilet keeps running and I think it needs replacing. Can you call me?"},
                   {"direction": "outbound", "at": "2026-12-01T09:09:30+11:00",
                    "text": "Sure thing, we'll give you a ring in a moment."}],
                 "callbackRequested": true}
                """.formatted(from);
    }
}
