package dev.ringback.server.call;

import dev.ringback.server.sms.CallbackRequest;

import java.util.concurrent.CompletableFuture;

/** Places the call for a claimed request; the future completes with the outcome when the call is over. */
@FunctionalInterface
public interface CallPlacer {
    CompletableFuture<String> place(CallbackRequest request);
}
