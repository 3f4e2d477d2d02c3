package dev.ringback.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Garbage and half-broken SIP on the agent's port must not take it down. */
class MalformedRequestTest {

    @Test
    void agentSurvivesGarbageAndStillAnswersOptions() throws Exception {
        try (SipUserAgent agent = SipUserAgent.start(TestAgents.config(5060));
             DatagramSocket socket = new DatagramSocket(TestPorts.freeUdpPort(), InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(3000);
            int port = agent.localPort();
            int ourPort = socket.getLocalPort();
            send(socket, port, "\u0000\u0001garbage that is not SIP at all\r\n\r\n");
            send(socket, port, "INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: broken\r\nCSeq: banana\r\n\r\n");
            send(socket, port, "BYE sip:nobody@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ourPort + ";branch=z9hG4bKbye1\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>;tag=2\r\nCall-ID: unknown-call\r\n"
                    + "CSeq: 1 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            assertTrue(receive(socket).startsWith("SIP/2.0 481"), "BYE for an unknown call gets 481");
            send(socket, port, "OPTIONS sip:ringback@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ourPort + ";branch=z9hG4bKopt1\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:ringback@127.0.0.1>\r\nCall-ID: probe-1\r\n"
                    + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            String reply = receive(socket);
            while (!reply.contains("OPTIONS")) reply = receive(socket); // skip any 400 for the broken INVITE
            assertTrue(reply.startsWith("SIP/2.0 200"), reply);
        }
    }

    private static void send(DatagramSocket socket, int port, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private static String receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply from the agent", e);
        }
        return new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
    }
}
