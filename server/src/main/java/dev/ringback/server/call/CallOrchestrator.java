package dev.ringback.server.call;

import dev.ringback.server.sms.CallbackRequest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Places voice calls and keeps count of the live ones. */
public final class CallOrchestrator implements CallPlacer {
    private final CallServices services;
    private final Map<String, VoiceCall> live = new ConcurrentHashMap<>();

    public CallOrchestrator(CallServices services) {
        this.services = services;
    }

    @Override
    public CompletableFuture<String> place(CallbackRequest request) {
        VoiceCall call = new VoiceCall(services, request);
        live.put(call.id(), call);
        call.finished().whenComplete((o, e) -> live.remove(call.id()));
        call.dial();
        return call.finished();
    }

    public int liveCalls() {
        return live.size();
    }
}
