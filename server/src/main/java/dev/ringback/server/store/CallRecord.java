package dev.ringback.server.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** A call as the API shows it: state, outcome, timings, the on-call transfer if any, and what was said. */
public record CallRecord(
        String id,
        String requestId,
        String sipCallId,
        String customerPhone,
        String state,
        String outcome,
        String reason,
        Integer sipStatus,
        Instant createdAt,
        Instant inviteSentAt,
        Instant answeredAt,
        Instant endedAt,
        Double webhookToInviteMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) Transfer transfer,
        List<Turn> turns) {

    public record Turn(int seq, String speaker, String text, Instant at, Double latencyMs, boolean interrupted) {}

    /**
     * An on-call transfer, when the call had one.
     *
     * @param path         "refer" (the trunk transferred the caller) or "bridge" (a second call joined to this one)
     * @param result       "connecting", "connected", "no-answer", "busy" or "failed"
     * @param sipStatus    the status that decided it (REFER refused, the on-call leg's failure, NOTIFY sipfrag), if any
     * @param onCallCallId SIP Call-ID of the bridged on-call leg
     */
    public record Transfer(
            String path,
            String target,
            String result,
            String detail,
            @JsonProperty("sip_status") Integer sipStatus,
            @JsonProperty("on_call_call_id") String onCallCallId,
            @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("connected_at") Instant connectedAt) {}
}
