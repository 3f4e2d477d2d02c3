package dev.ringback.server.config;

import dev.ringback.media.RtpConfig;
import dev.ringback.sip.SipConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        Path recordingsDir,
        WebhookConfig webhook,
        RetryConfig retry,
        GuardConfig guard) {

    public record HttpConfig(String host, int port, int maxBodyBytes) {}

    /** Password is kept out of toString so it never reaches a log. */
    public record DbConfig(String url, String username, String password, int poolSize) {
        @Override
        public String toString() {
            return "DbConfig[url=" + url + ", username=" + username + ", poolSize=" + poolSize + "]";
        }
    }

    public record DispatcherConfig(Duration pollInterval, int maxConcurrentCalls) {}

    /**
     * @param asrDecoders       PocketSphinx decoders (utterances recognised at once); by default one per call the dispatcher carries
     * @param pocketsphinxModel Debian's en-us model directory (acoustic model and CMU dictionary)
     */
    public record SpeechConfig(String asrEngine, Path voskModel, Path pocketsphinxModel, int asrDecoders, Path vadModel, Duration vadHangover) {}

    /**
     * @param referSupported    whether the trunk takes blind transfers (REFER); when false an on-call transfer is
     *                          bridged by Ringback itself (a second call joined to the caller's)
     * @param onCallRingTimeout how long the bridged transfer lets the on-call phone ring before giving up
     */
    public record CallConfig(Duration maxDuration, Duration silenceTimeout, boolean referSupported, Duration onCallRingTimeout) {}

    /**
     * Webhook security. Empty secrets switch verification off for that endpoint. {@code publicUrl} is the
     * scheme://host[:port] Twilio posts to (the signature covers it); empty = http://{Host header}.
     */
    public record WebhookConfig(String twilioAuthToken, String jsonSecret, String publicUrl, int maxPerNumberPerMinute) {
        @Override
        public String toString() {
            return "WebhookConfig[twilioAuthToken=" + (twilioAuthToken.isEmpty() ? "none" : "***") + ", jsonSecret="
                    + (jsonSecret.isEmpty() ? "none" : "***") + ", publicUrl=" + publicUrl + ", maxPerNumberPerMinute=" + maxPerNumberPerMinute + "]";
        }
    }

    /** Attempts per request (1 = no retry) and the wait before each retry; the last delay repeats. */
    public record RetryConfig(int maxAttempts, List<Duration> delays, Duration callbackAfter) {
        public Duration delayBefore(int attempt) {
            if (delays.isEmpty()) return Duration.ZERO;
            return delays.get(Math.min(Math.max(attempt - 2, 0), delays.size() - 1));
        }
    }

    /** Toll-fraud guard: which country codes may be dialled and how often one number may be called. */
    public record GuardConfig(List<String> allowedCountryCodes, int maxCallsPerNumberPerHour) {}

    public static RingbackConfig load(Path yaml, Map<String, String> env, Map<String, String> overrides) {
        return from(ConfigSource.load(yaml, env, overrides));
    }

    public static RingbackConfig from(ConfigSource c) {
        var http = new HttpConfig(c.string("http.host", "127.0.0.1"), c.port("http.port", 8080),
                c.integer("http.max-body-bytes", 65536));
        var sip = SipSettings.read(c);
        int portMin = c.port("rtp.port-min", 16384);
        int portMax = c.port("rtp.port-max", 16999);
        if (portMax <= portMin) throw new ConfigException("rtp.port-max (" + portMax + ") must be above rtp.port-min (" + portMin + ")");
        var rtp = new RtpConfig(c.string("rtp.host", "127.0.0.1"), portMin, portMax);
        var db = new DbConfig(c.string("db.url"), c.string("db.username", "sa"), c.string("db.password", ""),
                c.integer("db.pool-size", 8));
        var dispatcher = new DispatcherConfig(Duration.ofMillis(c.integer("dispatcher.poll-interval-ms", 250)),
                c.integer("dispatcher.max-concurrent-calls", 20));
        String engine = c.string("asr.engine", "auto").toLowerCase(Locale.ROOT);
        if (!engine.matches("auto|vosk|pocketsphinx|sphinx4")) {
            throw new ConfigException("asr.engine must be auto, vosk, pocketsphinx or sphinx4, got '" + engine + "' (from " + c.originOf("asr.engine") + ")");
        }
        int decoders = c.integer("asr.decoders", 0);
        var speech = new SpeechConfig(engine,
                Path.of(c.string("asr.vosk-model", "models/vosk-model-small-en-us-0.15")),
                Path.of(c.string("asr.pocketsphinx-model", "/usr/share/pocketsphinx/model/en-us")),
                decoders > 0 ? decoders : dispatcher.maxConcurrentCalls(),
                Path.of(c.string("vad.model", "models/silero-vad/silero_vad_v5.onnx")),
                Duration.ofMillis(c.integer("vad.hangover-ms", 600)));
        var call = new CallConfig(Duration.ofSeconds(c.integer("call.max-duration-s", 300)),
                Duration.ofSeconds(c.integer("call.silence-timeout-s", 15)),
                c.bool("sip.refer", true), Duration.ofSeconds(atLeast(c, "call.on-call-ring-timeout-s", 25, 5)));
        return new RingbackConfig(http, sip, rtp, db, Path.of(c.string("business.file", "conf/business.yaml")),
                c.bool("workflow.sms-callback-enabled", true), dispatcher, speech, call,
                Path.of(c.string("recordings.dir", "var/recordings")),
                webhook(c), retry(c), guard(c));
    }

    private static WebhookConfig webhook(ConfigSource c) {
        String publicUrl = c.string("webhook.public-url", "").trim();
        if (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^/?#]+")) {
            throw new ConfigException("webhook.public-url must be scheme://host[:port] without a path, got '" + publicUrl
                    + "' (from " + c.originOf("webhook.public-url") + ")");
        }
        return new WebhookConfig(c.string("webhook.twilio-auth-token", ""), c.string("webhook.json-secret", ""), publicUrl,
                atLeast(c, "webhook.max-per-number-per-minute", 10, 0));
    }

    private static RetryConfig retry(ConfigSource c) {
        List<Duration> delays = new ArrayList<>();
        for (String part : c.string("retry.delays-ms", "60000,300000").split(",")) {
            if (part.isBlank()) continue;
            try {
                long ms = Long.parseLong(part.trim());
                if (ms < 0) throw new NumberFormatException();
                delays.add(Duration.ofMillis(ms));
            } catch (NumberFormatException e) {
                throw new ConfigException("retry.delays-ms must be comma-separated milliseconds >= 0, got '" + part.trim()
                        + "' (from " + c.originOf("retry.delays-ms") + ")");
            }
        }
        return new RetryConfig(atLeast(c, "retry.max-attempts", 3, 1), List.copyOf(delays),
                Duration.ofMinutes(atLeast(c, "retry.callback-after-min", 30, 1)));
    }

    private static GuardConfig guard(ConfigSource c) {
        List<String> codes = new ArrayList<>();
        for (String part : c.string("guard.allowed-country-codes", "61").split(",")) {
            String code = part.trim().replaceFirst("^\\+", "");
            if (code.isEmpty()) continue;
            if (!code.matches("[1-9][0-9]{0,2}")) {
                throw new ConfigException("guard.allowed-country-codes must be comma-separated country codes like 61,64, got '"
                        + part.trim() + "' (from " + c.originOf("guard.allowed-country-codes") + ")");
            }
            codes.add(code);
        }
        if (codes.isEmpty()) throw new ConfigException("guard.allowed-country-codes must name at least one country code");
        return new GuardConfig(List.copyOf(codes), atLeast(c, "guard.max-calls-per-number-per-hour", 5, 1));
    }

    private static int atLeast(ConfigSource c, String key, int fallback, int min) {
        int v = c.integer(key, fallback);
        if (v < min) throw new ConfigException(key + " must be at least " + min + ", got " + v + " (from " + c.originOf(key) + ")");
        return v;
    }
}
