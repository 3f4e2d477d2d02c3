package dev.ringback.server;

import dev.ringback.server.call.SpeechServices;
import dev.ringback.server.config.RingbackConfig;
import dev.ringback.server.peers.FreePorts;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Servers for tests: the shipped conf/ringback.yaml with per-test ports, database and paths. */
public final class TestServers {
    private static SpeechServices speech;

    private TestServers() {}

    public static Path root() {
        return Path.of(System.getProperty("ringback.root", "..")).toAbsolutePath().normalize();
    }

    public static RingbackConfig config(Path dir, int trunkPort, Map<String, String> more) {
        int rtpBase = FreePorts.evenRange(40);
        Map<String, String> o = new HashMap<>();
        o.put("http.port", "0");
        o.put("sip.listen.port", "0");
        o.put("sip.trunk.host", "127.0.0.1");
        o.put("sip.trunk.port", String.valueOf(trunkPort));
        o.put("sip.invite-timeout-ms", "2000");
        o.put("rtp.port-min", String.valueOf(rtpBase));
        o.put("rtp.port-max", String.valueOf(rtpBase + 39));
        o.put("db.url", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("db/ringback"));
        o.put("business.file", root().resolve("conf/business.yaml").toString());
        o.put("asr.vosk-model", root().resolve("models/vosk-model-small-en-us-0.15").toString());
        o.put("vad.model", root().resolve("models/silero-vad/silero_vad_v5.onnx").toString());
        o.put("recordings.dir", dir.resolve("recordings").toString());
        o.put("call.silence-timeout-s", "4");
        o.put("dispatcher.poll-interval-ms", "100");
        o.put("retry.max-attempts", "1");   // one call per request unless a test is about retries
        o.putAll(more);
        return RingbackConfig.load(root().resolve("conf/ringback.yaml"), Map.of(), o);
    }

    /** Models are loaded once per test JVM: they take seconds and every server can share them. */
    public static synchronized SpeechServices speech(RingbackConfig config) {
        if (speech == null) speech = SpeechServices.start(config.speech());
        return speech;
    }

    /** Call before starting a peer with its own timeout: the first load takes tens of seconds. */
    public static void loadSpeech() {
        speech(config(Path.of("e2e", "speech-load"), 5060, Map.of()));
    }

    public static RingbackServer start(RingbackConfig config) throws Exception {
        return RingbackServer.start(config, speech(config));
    }
}
