package dev.ringback.server.sms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringback.server.config.RingbackConfig.WebhookConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The two SMS webhooks: the JSON one ({@code POST /api/sms/inbound}, HMAC-signed when a secret is set) and
 * Twilio's form ({@code POST /api/sms/twilio}, its own signature). A valid text is stored before the webhook is
 * answered; bad input gets a clear error and stores nothing; one number texting too often gets 429.
 */
public final class SmsWebhooks {
    private static final Logger log = LoggerFactory.getLogger(SmsWebhooks.class);

    /** The status and JSON body to answer with. */
    public record Reply(int status, Map<String, Object> body) {}

    private final ObjectMapper json = new ObjectMapper();
    private final CallbackRequests requests;
    private final Runnable newRequest;
    private final ZoneId businessZone;
    private final WebhookConfig config;
    private final WebhookEvents events;
    private final NumberRateLimiter rateLimiter;

    /** @param newRequest told when a text created a callback request (the dispatcher wakes up) */
    public SmsWebhooks(CallbackRequests requests, Runnable newRequest, ZoneId businessZone, WebhookConfig config, WebhookEvents events) {
        this.requests = requests;
        this.newRequest = newRequest;
        this.businessZone = businessZone;
        this.config = config;
        this.events = events;
        this.rateLimiter = new NumberRateLimiter(config.maxPerNumberPerMinute(), Duration.ofMinutes(1));
    }

    /** {@code POST /api/sms/inbound}: {@code header} reads a request header by name. */
    public Reply inbound(byte[] body, UnaryOperator<String> header) {
        long receivedNanos = System.nanoTime();
        Instant receivedAt = Instant.now();
        if (!config.jsonSecret().isEmpty() && !WebhookSignature.jsonValid(config.jsonSecret(), body, header.apply("X-Ringback-Signature"))) {
            return unauthorised("X-Ringback-Signature");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (Exception e) {
            events.webhookRejected();
            return error(400, "body is not valid JSON");
        }
        try {
            return accept(SmsInbound.parse(node, businessZone, OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC)), receivedAt, receivedNanos);
        } catch (InvalidWebhookException e) {
            return refused(e);
        }
    }

    /** {@code POST /api/sms/twilio}: the signature covers the public URL ({@code path} on it) and the sorted fields. */
    public Reply twilio(byte[] body, UnaryOperator<String> header, String path) {
        long receivedNanos = System.nanoTime();
        Instant receivedAt = Instant.now();
        String type = String.valueOf(header.apply("Content-Type")).toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            events.webhookRejected();
            return error(415, "Content-Type must be application/x-www-form-urlencoded");
        }
        try {
            Map<String, String> form = FormBody.parse(body);
            String base = config.publicUrl().isEmpty() ? "http://" + header.apply("Host") : config.publicUrl();
            if (!config.twilioAuthToken().isEmpty()
                    && !WebhookSignature.twilioValid(config.twilioAuthToken(), base + path, form, header.apply("X-Twilio-Signature"))) {
                return unauthorised("X-Twilio-Signature");
            }
            return accept(SmsInbound.fromTwilio(form, OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC)), receivedAt, receivedNanos);
        } catch (InvalidWebhookException e) {
            return refused(e);
        }
    }

    private Reply accept(SmsInbound sms, Instant receivedAt, long receivedNanos) {
        if (!rateLimiter.allow(sms.from(), receivedNanos)) {
            events.webhookRejected();
            log.warn("SMS webhook from {} refused: more than {} a minute", sms.from(), config.maxPerNumberPerMinute());
            return error(429, "too many messages from " + sms.from() + "; at most " + config.maxPerNumberPerMinute() + " a minute");
        }
        SmsReceipt receipt = requests.receive(sms, receivedAt, receivedNanos);
        Map<String, Object> reply = new LinkedHashMap<>();
        receipt.requestId().ifPresent(id -> reply.put("id", id));
        reply.put("state", receipt.state().map(RequestState::wireName).orElse("no-callback-requested"));
        reply.put("outcome", receipt.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (sms.callbackInferred()) reply.put("callbackInferred", true);
        if (receipt.kind() == SmsReceipt.Kind.CREATED) {
            events.requestAccepted();
            newRequest.run();
            return new Reply(202, reply);
        }
        return new Reply(200, reply);
    }

    private Reply refused(InvalidWebhookException e) {
        events.webhookRejected();
        log.info("SMS webhook refused: {}", e.getMessage());
        return error(400, e.getMessage());
    }

    private Reply unauthorised(String header) {
        events.webhookRejected();
        log.warn("SMS webhook refused: missing or wrong {}", header);
        return error(401, "missing or invalid " + header);
    }

    private static Reply error(int status, String reason) {
        return new Reply(status, Map.of("error", reason));
    }
}
