package dev.ringback.server.sms;

import java.util.Optional;

/** What storing an inbound SMS did: a new callback request, an open one extended, only the thread, or a repeat. */
public record SmsReceipt(Kind kind, Optional<String> requestId, Optional<RequestState> state) {
    public enum Kind { CREATED, EXTENDED, THREAD_ONLY, DUPLICATE }
}
