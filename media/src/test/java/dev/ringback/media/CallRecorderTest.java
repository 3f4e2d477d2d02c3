package dev.ringback.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records real calls between two sessions on 127.0.0.1 and reads the WAV back, also while it is written. */
class CallRecorderTest {
    private static RtpEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEngine() {
        engine = new RtpEngine(TestNet.freeRange(8), 2);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    /** A WAV's two channels, as read by the JDK's own WAV reader (so the header must be valid). */
    record Stereo(AudioFormat format, short[] left, short[] right) {
        static Stereo read(byte[] wav) throws Exception {
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
                byte[] data = in.readAllBytes();
                ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                int frames = data.length / 4;
                short[] left = new short[frames];
                short[] right = new short[frames];
                for (int i = 0; i < frames; i++) {
                    left[i] = b.getShort();
                    right[i] = b.getShort();
                }
                return new Stereo(in.getFormat(), left, right);
            }
        }
    }

    private static int firstLoud(short[] x) {
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > 2000) {
                return i;
            }
        }
        return -1;
    }

    private static int lastLoud(short[] x) {
        for (int i = x.length - 1; i >= 0; i--) {
            if (Math.abs(x[i]) > 2000) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void recordsCustomerLeftAndAgentRightTimeAligned() throws Exception {
        Path wav = dir.resolve("call.wav");
        try (RtpSession agent = engine.open(); RtpSession customer = engine.open()) {
            agent.start(new InetSocketAddress(TestNet.HOST, customer.localPort()), Codec.PCMA);
            customer.start(new InetSocketAddress(TestNet.HOST, agent.localPort()), Codec.PCMA);
            CallRecorder recorder = agent.record(wav);
            Thread.sleep(300);
            Playout spoken = agent.play(TestAudio.tone(1000, 1.0, 8000));
            Playout heard = customer.play(TestAudio.tone(450, 1.0, 8000));
            spoken.done().get(5, TimeUnit.SECONDS);
            heard.done().get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            recorder.close();
            assertTrue(recorder.finished().isDone());

            Stereo s = Stereo.read(Files.readAllBytes(wav));
            assertTrue(new AudioFormat(8000, 16, 2, true, false).matches(s.format()), s.format().toString());
            assertEquals(recorder.framesRecorded() * 160, s.left().length, "every recorded frame is in the file");
            // about 0.3 + 1 + 0.3 s: one stereo frame per tick, whatever the peer sent
            assertEquals(1.6, s.left().length / 8000.0, 0.25);

            int agentFrom = firstLoud(s.right());
            int agentTo = lastLoud(s.right());
            int customerFrom = firstLoud(s.left());
            int customerTo = lastLoud(s.left());
            assertTrue(agentFrom > 0 && customerFrom > 0, "both channels carry a tone");
            assertEquals(8000, agentTo - agentFrom, 80, "the agent's 1 s tone, as sent");
            // the recorder absorbs 60 ms of receive jitter; a longer stall on a loaded machine opens a gap
            assertEquals(8000, customerTo - customerFrom, 5 * 160, "the customer's 1 s tone");
            long loudCustomerFrames = java.util.stream.IntStream.range(customerFrom / 160, customerTo / 160 + 1)
                    .filter(f -> TestAudio.rms(Arrays.copyOfRange(s.left(), f * 160, f * 160 + 160)) > 4000).count();
            assertTrue(loudCustomerFrames >= 48, "customer tone frames recorded: " + loudCustomerFrames);
            // both started in the same 20 ms; the customer side lags one packet's travel at most a few frames
            assertTrue(Math.abs(customerFrom - agentFrom) <= 4 * 160,
                    "onsets " + agentFrom + " (agent) and " + customerFrom + " (customer) samples");

            short[] agentTone = Arrays.copyOfRange(s.right(), agentFrom, agentTo);
            List<short[]> customerFrames = new ArrayList<>();
            for (int f = customerFrom / 160; f <= customerTo / 160; f++) {
                customerFrames.add(Arrays.copyOfRange(s.left(), f * 160, f * 160 + 160));
            }
            short[] customerTone = TestAudio.audibleConcatenation(customerFrames, 4000);
            assertEquals(1000, TestAudio.dominantFrequency(agentTone));
            assertEquals(450, TestAudio.dominantFrequency(customerTone));
            assertEquals(5657, TestAudio.rms(agentTone), 300);
            assertEquals(5657, TestAudio.rms(customerTone), 300);
            assertTrue(TestAudio.power(agentTone, 450) < TestAudio.power(agentTone, 1000) / 1000, "no crosstalk right");
            assertTrue(TestAudio.power(customerTone, 1000) < TestAudio.power(customerTone, 450) / 1000,
                    "no crosstalk left");
            assertTrue(TestAudio.rms(Arrays.copyOfRange(s.right(), 0, 1600)) <= 8, "agent silent (A-law idle code) before the tone");
        }
    }

    @Test
    void aFileStillBeingWrittenIsReadableUpToTheLastUpdate() throws Exception {
        Path wav = dir.resolve("live.wav");
        CallRecorder recorder;
        try (RtpSession agent = engine.open(); RtpSession customer = engine.open()) {
            agent.start(new InetSocketAddress(TestNet.HOST, customer.localPort()), Codec.PCMU);
            customer.start(new InetSocketAddress(TestNet.HOST, agent.localPort()), Codec.PCMU);
            recorder = agent.record(wav);
            agent.play(TestAudio.tone(1000, 10.0, 8000));
            customer.play(TestAudio.tone(450, 10.0, 8000));

            Stereo empty = Stereo.read(Files.readAllBytes(wav));
            assertTrue(empty.left().length <= 50 * 160, "right after start: a valid header, at most 1 s of audio");

            Thread.sleep(2500);
            // what a reader sees if the process died now: the bytes on disk, as they are
            byte[] snapshot = Files.readAllBytes(wav);
            int declared = ByteBuffer.wrap(snapshot, 40, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            assertTrue(declared >= 50 * 160 * 4, "at least one 1 s update written, declared " + declared);
            assertTrue(declared <= snapshot.length - CallRecorder.HEADER_SIZE, "the header never claims more than is there");
            Stereo partial = Stereo.read(snapshot);
            assertEquals(declared / 4, partial.left().length);
            short[] tail = Arrays.copyOfRange(partial.right(), partial.right().length - 4000, partial.right().length);
            assertEquals(1000, TestAudio.dominantFrequency(tail));
            short[] customerTail = Arrays.copyOfRange(partial.left(), partial.left().length - 4000, partial.left().length);
            assertEquals(450, TestAudio.dominantFrequency(customerTail));
            assertTrue(agent.isPlaying(), "the call is still going on");
        }
        // closing the session finishes the recording with the rest of the audio
        assertEquals(wav, recorder.finished().get(5, TimeUnit.SECONDS));
        Stereo whole = Stereo.read(Files.readAllBytes(wav));
        assertTrue(whole.left().length > 2 * 8000, "finished file holds more: " + whole.left().length);
    }
}
