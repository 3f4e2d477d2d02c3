package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real peer: SIPp places a call (uac_speak_wait_bye.xml) and streams µ-law made by sox with rtp_stream.
 * A second SIPp answers with an SDP that names our session's port, so SIPp's RTP lands on RtpSession.
 */
class SippInteropTest {
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killPeers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void sippStreamingUlawIsDecodedByOurSession() throws Exception {
        assumeTrue(onPath("sipp") && onPath("sox"), "sipp and sox are needed");
        Path work = Files.createTempDirectory("sipp-interop");
        copyResource("sipp/uac_speak_wait_bye.xml", work);
        copyResource("sipp/uas_answer_to_rtp_port.xml", work);
        run(work, "sox", "-n", "-r", "8000", "-c", "1", "-e", "mu-law", "-t", "raw", "speech_8k.ulaw",
                "synth", "2", "sine", "1000", "vol", "0.3").waitFor(10, TimeUnit.SECONDS);

        int uasPort = TestNet.freePort();
        int uacPort = TestNet.freePort();
        int uacMediaPort = TestNet.freePort();
        try (RtpEngine engine = new RtpEngine(TestNet.freeRange(2), 1); RtpSession session = engine.open()) {
            List<short[]> heard = new CopyOnWriteArrayList<>();
            session.onAudio((pcm, arrival) -> heard.add(pcm));
            session.start(new InetSocketAddress(TestNet.HOST, uacMediaPort), Codec.PCMU);

            Process uas = run(work, "sipp", "-sf", "uas_answer_to_rtp_port.xml", "-i", TestNet.HOST,
                    "-p", Integer.toString(uasPort), "-key", "rtp_port", Integer.toString(session.localPort()),
                    "-m", "1", "-nostdin", "-timeout", "20");
            Process uac = run(work, "sipp", "-sf", "uac_speak_wait_bye.xml", "-i", TestNet.HOST,
                    "-p", Integer.toString(uacPort), "-mp", Integer.toString(uacMediaPort),
                    "-m", "1", "-nostdin", "-timeout", "20", TestNet.HOST + ":" + uasPort);
            assertTrue(uac.waitFor(25, TimeUnit.SECONDS), "SIPp caller finished");
            assertTrue(uas.waitFor(5, TimeUnit.SECONDS), "SIPp callee finished");
            assertEquals(0, uac.exitValue(), "SIPp caller exit code (see " + work + ")");
            assertEquals(0, uas.exitValue(), "SIPp callee exit code (see " + work + ")");

            RtpStats stats = session.stats();
            assertEquals(100, stats.packetsReceived(), "2 s of 20 ms packets: " + stats);
            assertEquals(0, stats.packetsDropped());
            assertEquals(0, stats.packetsLost());
            assertEquals(new InetSocketAddress(TestNet.HOST, uacMediaPort), session.remoteAddress());
            short[] tone = TestAudio.audibleConcatenation(heard, 1000);
            assertTrue(tone.length >= 99 * 160, "audible frames: " + tone.length / 160);
            assertEquals(1000, TestAudio.dominantFrequency(tone));
            assertEquals(0.3 * 32767 / Math.sqrt(2), TestAudio.rms(tone), 0.3 * 32767 / Math.sqrt(2) * 0.1);
        }
    }

    private Process run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + "-" + processes.size() + ".log").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static void copyResource(String name, Path dir) throws IOException {
        try (InputStream in = SippInteropTest.class.getResourceAsStream("/" + name)) {
            Files.copy(in, dir.resolve(Path.of(name).getFileName()));
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
