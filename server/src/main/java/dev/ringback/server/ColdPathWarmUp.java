package dev.ringback.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringback.media.RtpEngine;
import dev.ringback.media.RtpSession;
import dev.ringback.server.sms.SmsInbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * Runs the webhook-to-INVITE code paths once at start-up without side effects (read-only HTTP requests over
 * loopback, a webhook body parsed but not stored, an RTP port opened and closed), so the first customer's phone
 * rings as quickly as the tenth's instead of paying a second of class loading and first-use set-up.
 */
final class ColdPathWarmUp {
    private static final Logger log = LoggerFactory.getLogger(ColdPathWarmUp.class);
    private static final String SAMPLE_WEBHOOK = """
            {"from": "+61400000000", "to": "+61400000001", "body": "Can you call me?",
             "thread": [{"direction": "inbound", "at": "2026-01-01T09:00:00+00:00", "text": "Can you call me?"}],
             "callbackRequested": true}""";

    private ColdPathWarmUp() {}

    /** Never fails start-up: a warm-up that cannot run only costs the first call its speed. */
    static void run(String httpHost, int httpPort, RtpEngine rtp, ZoneId businessZone) {
        long t0 = System.nanoTime();
        try {
            get(httpHost, httpPort, "/api/requests");
            get(httpHost, httpPort, "/api/calls/warm-up");
            SmsInbound.parse(new ObjectMapper().readTree(SAMPLE_WEBHOOK), businessZone, OffsetDateTime.now());
            try (RtpSession session = rtp.open()) {
                log.trace("warm-up RTP port {}", session.localPort());
            }
            log.info("cold paths warmed in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            log.warn("start-up warm-up skipped ({}); the first call may be slower", e.toString());
        }
    }

    private static void get(String host, int port, String path) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (address.isAnyLocalAddress()) address = InetAddress.getLoopbackAddress();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
    }
}
