package dev.ringback.server.sms;

import java.time.Instant;

/** Where inbound texts are kept (the request store): the webhooks store one before they answer. */
public interface CallbackRequests {
    SmsReceipt receive(SmsInbound sms, Instant receivedAt, long receivedNanos);
}
