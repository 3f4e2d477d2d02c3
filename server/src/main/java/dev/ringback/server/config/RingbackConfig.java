package dev.ringback.server.config;

import dev.ringback.media.RtpConfig;
import dev.ringback.sip.Credentials;
import dev.ringback.sip.SipConfig;
import dev.ringback.sip.Transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The whole server configuration, validated once at start-up. */
public record RingbackConfig(
        HttpConfig http,
        SipConfig sip,
        RtpConfig rtp,
        DbConfig db,
        Path businessFile,
        boolean smsCallbackEnabledByDefault,
        DispatcherConfig dispatcher,
        SpeechConfig speech,
        CallConfig call,
        Path recordingsDir) {

    public record HttpConfig(String host, int port, int maxBodyBytes) {}

    /** Password is kept out of toString so it never reaches a log. */
    public record DbConfig(String url, String username, String password, int poolSize) {
        @Override
        public String toString() {
            return "DbConfig[url=" + url + ", username=" + username + ", poolSize=" + poolSize + "]";
        }
    }

    public record DispatcherConfig(Duration pollInterval, int maxConcurrentCalls) {}

    public record SpeechConfig(String asrEngine, Path voskModel, Path vadModel, Duration vadHangover) {}

    public record CallConfig(Duration maxDuration, Duration silenceTimeout) {}

    public static RingbackConfig load(Path yaml, Map<String, String> env, Map<String, String> overrides) {
        return from(ConfigSource.load(yaml, env, overrides));
    }

    public static RingbackConfig from(ConfigSource c) {
        var http = new HttpConfig(c.string("http.host", "127.0.0.1"), c.port("http.port", 8080),
                c.integer("http.max-body-bytes", 65536));
        String user = c.string("sip.trunk.username", "");
        Optional<Credentials> credentials = user.isEmpty()
                ? Optional.empty()
                : Optional.of(new Credentials(user, c.string("sip.trunk.password", "")));
        var sip = new SipConfig(
                c.string("sip.listen.host", "127.0.0.1"),
                c.port("sip.listen.port", 5060),
                transport(c, "sip.trunk.transport"),
                c.string("sip.trunk.host"),
                c.port("sip.trunk.port", 5060),
                credentials,
                c.string("sip.from.user", "ringback"),
                c.string("sip.from.display-name", "Ringback"),
                Duration.ofMillis(c.integer("sip.invite-timeout-ms", 5000)),
                Duration.ofSeconds(c.integer("sip.ring-timeout-s", 45)));
        int portMin = c.port("rtp.port-min", 16384);
        int portMax = c.port("rtp.port-max", 16999);
        if (portMax <= portMin) throw new ConfigException("rtp.port-max (" + portMax + ") must be above rtp.port-min (" + portMin + ")");
        var rtp = new RtpConfig(c.string("rtp.host", "127.0.0.1"), portMin, portMax);
        var db = new DbConfig(c.string("db.url"), c.string("db.username", "sa"), c.string("db.password", ""),
                c.integer("db.pool-size", 8));
        var dispatcher = new DispatcherConfig(Duration.ofMillis(c.integer("dispatcher.poll-interval-ms", 250)),
                c.integer("dispatcher.max-concurrent-calls", 20));
        String engine = c.string("asr.engine", "auto").toLowerCase(Locale.ROOT);
        if (!engine.matches("auto|vosk|sphinx4")) throw new ConfigException("asr.engine must be auto, vosk or sphinx4, got '" + engine + "' (from " + c.originOf("asr.engine") + ")");
        var speech = new SpeechConfig(engine,
                Path.of(c.string("asr.vosk-model", "models/vosk-model-small-en-us-0.15")),
                Path.of(c.string("vad.model", "models/silero-vad/silero_vad_v5.onnx")),
                Duration.ofMillis(c.integer("vad.hangover-ms", 600)));
        var call = new CallConfig(Duration.ofSeconds(c.integer("call.max-duration-s", 300)),
                Duration.ofSeconds(c.integer("call.silence-timeout-s", 15)));
        return new RingbackConfig(http, sip, rtp, db, Path.of(c.string("business.file", "conf/business.yaml")),
                c.bool("workflow.sms-callback-enabled", true), dispatcher, speech, call,
                Path.of(c.string("recordings.dir", "var/recordings")));
    }

    private static Transport transport(ConfigSource c, String key) {
        String t = c.string(key, "udp").toUpperCase(Locale.ROOT);
        try {
            return Transport.valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " must be udp, tcp or tls, got '" + t.toLowerCase(Locale.ROOT) + "' (from " + c.originOf(key) + ")");
        }
    }
}
