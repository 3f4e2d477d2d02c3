package dev.ringback.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The transfer part of GET /api/calls/{id}, as the API's mapper writes it. */
class CallRecordJsonTest {
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void transferIsShownWithItsPathTargetResultAndOnCallLeg() {
        Instant t = Instant.parse("2026-12-01T12:14:00Z");
        var transfer = new CallRecord.Transfer("bridge", "+61400000999", "connected", "bridged", 405, "leg@127.0.0.1", t, t.plusSeconds(20));
        JsonNode node = json.valueToTree(call(transfer)).get("transfer");
        assertEquals("bridge", node.get("path").asText());
        assertEquals("+61400000999", node.get("target").asText());
        assertEquals("connected", node.get("result").asText());
        assertEquals(405, node.get("sip_status").asInt());
        assertEquals("leg@127.0.0.1", node.get("on_call_call_id").asText());
        assertEquals("2026-12-01T12:14:20Z", node.get("connected_at").asText());
    }

    @Test
    void callsWithoutATransferHaveNoTransferField() {
        assertFalse(json.valueToTree(call(null)).has("transfer"));
    }

    private static CallRecord call(CallRecord.Transfer transfer) {
        return new CallRecord("id", "req", "sip", "+61412000555", "ended", "transferred", "customer hung up", null,
                Instant.EPOCH, null, null, null, null, transfer, List.of());
    }
}
