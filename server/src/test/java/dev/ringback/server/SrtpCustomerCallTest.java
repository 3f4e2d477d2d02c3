package dev.ringback.server;

import dev.ringback.server.SmsCallbackCallTest.Rtp;
import dev.ringback.server.peers.BaresipPhone;
import dev.ringback.server.peers.Tones;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code sip.srtp: required}, the call to a customer whose softphone insists on SRTP (baresip, SDES,
 * mediaenc=srtp-mand) is encrypted both ways: every agent packet on the wire carries the 10-byte SRTP tag, baresip
 * decrypts and hears the agent's speech, and the call recording (which we decrypted) holds the phone's tone.
 */
class SrtpCustomerCallTest {
    private static final String CUSTOMER = "+61412000333";
    private static final double PHONE_TONE_HZ = 1000;
    /** AES_CM_128_HMAC_SHA1_80: a 160-byte G.711 payload plus an 80-bit authentication tag. */
    private static final int SRTP_PAYLOAD_BYTES = 160 + 10;

    @BeforeAll
    static void loadModelsBeforeStartingPeers() {
        TestServers.loadSpeech();
    }

    @Test
    void callToAnSrtpOnlyPhoneIsEncryptedBothWays() throws Exception {
        Path dir = Files.createDirectories(Path.of("e2e", "srtp-" + System.nanoTime()));
        // the phone answers, stays quiet 2 s, sends a 3 s tone, then hangs up when its file ends
        Path prompt = Tones.wav(dir, "customer-prompt", 2, PHONE_TONE_HZ, 3, 6);
        BaresipPhone phone = BaresipPhone.start(dir, prompt, CUSTOMER, true);
        BaresipCustomerCall run = BaresipCustomerCall.run(dir, phone, CUSTOMER,
                Map.of("sip.srtp", "required", "call.silence-timeout-s", "30"));
        assertTrue(phone.output().contains("SRTP is Enabled"), "baresip negotiated SRTP:\n" + phone.output());

        // On the wire: the agent's RTP (from its RTP range, payload type 0) is all SRTP-sized, none of it plain.
        List<Rtp> agent = run.fromAgent().stream().filter(d -> d.srcPort() % 2 == 0)
                .map(Rtp::parse).filter(r -> r != null && r.payloadType() == 0).toList();
        assertTrue(agent.size() > 200, "agent RTP captured: " + agent.size());
        assertEquals(0, agent.stream().filter(r -> r.payload().length != SRTP_PAYLOAD_BYTES).count(),
                "every agent packet carries the SRTP authentication tag");

        // baresip decrypted our audio: its recording holds the agent's speech.
        Path heard = phone.heard().orElseThrow(() -> new AssertionError("baresip wrote no recording:\n" + phone.output()));
        int speech = Tones.loudFrames(Tones.channel(heard, 0), 300);
        assertTrue(speech >= 100, "the phone heard the agent speak in " + speech + " loud frames");

        // We decrypted the phone's audio: the recording's customer channel holds its tone.
        int tone = run.customerToneFrames(PHONE_TONE_HZ);
        assertTrue(tone >= 100, "the phone's tone on the recording's customer channel in " + tone + " frames");
    }
}
