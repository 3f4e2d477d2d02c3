package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallOutcomeMappingTest {

    @ParameterizedTest
    @CsvSource({
            "486, BUSY", "600, BUSY",
            "480, NO_ANSWER", "408, NO_ANSWER", "487, NO_ANSWER",
            "603, DECLINED",
            "404, NOT_FOUND", "484, NOT_FOUND", "410, NOT_FOUND",
            "403, FORBIDDEN",
            "488, NO_COMMON_CODEC", "606, NO_COMMON_CODEC", "415, NO_COMMON_CODEC",
            "503, TRUNK_UNAVAILABLE", "500, TRUNK_UNAVAILABLE", "504, TRUNK_UNAVAILABLE",
            "401, AUTH_FAILED", "407, AUTH_FAILED",
            "400, FAILED", "302, FAILED", "482, FAILED"})
    void finalStatusMapsToOutcome(int status, CallOutcome outcome) {
        assertEquals(outcome, CallOutcome.forStatus(status));
    }

    @ParameterizedTest
    @CsvSource({"486, BUSY", "600, BUSY", "480, NO_ANSWER", "408, NO_ANSWER", "487, NO_ANSWER",
            "603, FAILED", "404, FAILED", "403, FAILED", "500, FAILED", "503, FAILED"})
    void transferTargetsFinalStatusMapsToTransferOutcome(int status, TransferResult.Outcome outcome) {
        assertEquals(outcome, ReferTransfer.targetFailure(status));
    }
}
