package dev.ringback.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ringback.agent.store.BusinessStore;
import dev.ringback.server.dispatch.Dispatcher;
import dev.ringback.server.config.RingbackConfig.WebhookConfig;
import dev.ringback.server.sms.SmsWebhooks;
import dev.ringback.server.store.CallStore;
import dev.ringback.server.store.CallbackRequestStore;
import dev.ringback.server.store.WorkflowSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP API of DESIGN.md: calls, requests, workflow toggle, owner messages, metrics, dashboard; the SMS webhooks' routes (their handling is {@link SmsWebhooks}). */
public final class ApiRoutes implements HttpApi.Router {
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    private static final Pattern CALL = Pattern.compile("/api/calls/([0-9a-fA-F-]{36})");
    private static final Pattern REQUEST = Pattern.compile("/api/requests/([0-9a-fA-F-]{36})");

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final CallbackRequestStore requests;
    private final CallStore calls;
    private final WorkflowSettings workflows;
    private final BusinessStore businessStore;
    private final Dispatcher dispatcher;
    private final ZoneId businessZone;
    private final Metrics metrics;
    private final Path recordingsDir;
    private final SmsWebhooks webhooks;

    public ApiRoutes(CallbackRequestStore requests, CallStore calls, WorkflowSettings workflows,
                     BusinessStore businessStore, Dispatcher dispatcher, ZoneId businessZone, Metrics metrics,
                     Path recordingsDir, WebhookConfig webhook) {
        this.webhooks = new SmsWebhooks(requests, dispatcher::wake, businessZone, webhook, metrics);
        this.requests = requests;
        this.calls = calls;
        this.workflows = workflows;
        this.businessStore = businessStore;
        this.dispatcher = dispatcher;
        this.businessZone = businessZone;
        this.metrics = metrics;
        this.recordingsDir = recordingsDir;
    }

    @Override
    public ApiResponse route(ApiRequest r) {
        String p = r.path();
        String m = r.method();
        Matcher matcher;
        if (p.equals("/api/sms/inbound")) return m.equals("POST") ? reply(webhooks.inbound(r.body(), r::header)) : notAllowed("POST");
        if (p.equals("/api/sms/twilio")) return m.equals("POST") ? reply(webhooks.twilio(r.body(), r::header, r.path())) : notAllowed("POST");
        if (p.equals("/api/calls")) return m.equals("GET") ? ok(calls.recent(100)) : notAllowed("GET");
        if ((matcher = CALL.matcher(p)).matches()) return m.equals("GET") ? call(matcher.group(1)) : notAllowed("GET");
        if ((matcher = REQUEST.matcher(p)).matches()) return m.equals("GET") ? request(matcher.group(1)) : notAllowed("GET");
        if (p.equals("/api/requests")) return m.equals("GET") ? ok(requests.recent(100)) : notAllowed("GET");
        if (p.equals("/api/workflows")) return m.equals("GET") ? workflows() : notAllowed("GET");
        if (p.equals("/api/workflows/sms-callback")) return m.equals("PUT") ? toggle(r) : m.equals("GET") ? workflows() : notAllowed("GET, PUT");
        if (p.equals("/api/messages")) return m.equals("GET") ? ok(businessStore.messages()) : notAllowed("GET");
        if (p.equals("/api/callbacks")) return m.equals("GET") ? ok(businessStore.callbacks()) : notAllowed("GET");
        if (p.equals("/metrics")) return ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
        if (p.equals("/")) return ApiResponse.text(200, "text/html; charset=utf-8", Dashboard.html());
        return error(404, "no such resource: " + p);
    }

    private ApiResponse reply(SmsWebhooks.Reply reply) {
        return json(reply.status(), reply.body());
    }

    private ApiResponse call(String id) {
        return calls.find(id).map(c -> {
            ObjectNode node = json.valueToTree(c);
            node.set("tool_calls", ToolCallJson.of(businessStore.toolLog(id), json));
            Path recording = recordingsDir.resolve(id + ".wav");
            if (Files.isRegularFile(recording)) node.put("recording", recording.toString());
            return ApiResponse.json(200, node.toString());
        }).orElseGet(() -> error(404, "no call " + id));
    }

    private ApiResponse request(String id) {
        return requests.find(id).map(req -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", req.id());
            out.put("customerPhone", req.customerPhone());
            out.put("state", req.state().wireName());
            out.put("terminal", req.state().terminal());
            out.put("reason", req.reason());
            out.put("attempts", req.attempts());
            out.put("receivedAt", req.receivedAt());
            out.put("thread", req.thread());
            out.put("history", requests.history(id).stream()
                    .map(h -> Map.of("at", h.at().toString(), "state", h.state().wireName(), "detail", String.valueOf(h.detail())))
                    .toList());
            out.put("calls", calls.forRequest(id).stream().map(c -> c.id()).toList());
            return json(200, out);
        }).orElseGet(() -> error(404, "no request " + id));
    }

    private ApiResponse workflows() {
        return json(200, Map.of("sms-callback", Map.of("enabled", workflows.smsCallbackEnabled())));
    }

    private ApiResponse toggle(ApiRequest r) {
        JsonNode body;
        try {
            body = json.readTree(r.body());
        } catch (Exception e) {
            return error(400, "body is not valid JSON");
        }
        if (body == null || !body.has("enabled") || !body.get("enabled").isBoolean()) {
            return error(400, "body must be {\"enabled\": true|false}");
        }
        boolean enabled = body.get("enabled").asBoolean();
        workflows.setSmsCallbackEnabled(enabled);
        log.info("SMS callback workflow turned {}", enabled ? "on" : "off");
        return workflows();
    }

    private ApiResponse ok(Object value) {
        return json(200, value);
    }

    private ApiResponse json(int status, Object value) {
        try {
            return ApiResponse.json(status, json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }

    private ApiResponse error(int status, String reason) {
        return json(status, Map.of("error", reason));
    }

    private ApiResponse notAllowed(String allowed) {
        return error(405, "method not allowed; use " + allowed);
    }
}
