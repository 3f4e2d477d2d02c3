package dev.ringback.server.sms;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An inbound SMS webhook: the JSON one {@code POST /api/sms/inbound}
 * {@code {from, to, body, thread:[{direction, at, text}], callbackRequested, messageSid}} or Twilio's form
 * {@code POST /api/sms/twilio} (From, To, Body, MessageSid). Times without an offset are read in the
 * business's timezone. Without a callback flag the customer's latest text decides ({@link CallIntent});
 * {@code callbackInferred} says that happened.
 */
public record SmsInbound(String from, String to, String body, List<ThreadMessage> thread, boolean callbackRequested,
                         boolean callbackInferred, String messageSid) {
    public static final int MAX_TEXT = 1600;
    public static final int MAX_THREAD = 200;
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Twilio's form fields; Twilio never sends a callback flag, so the text decides. */
    public static SmsInbound fromTwilio(Map<String, String> form, OffsetDateTime now) throws InvalidWebhookException {
        String from = trimmed(form.get("From"));
        if (from == null) throw new InvalidWebhookException("'From' is required: the customer's E.164 number");
        if (!E164.isValid(from)) throw new InvalidWebhookException("'From' must be an E.164 number like +61412000111, got '" + from + "'");
        String to = trimmed(form.get("To"));
        if (to != null && !E164.isValid(to)) throw new InvalidWebhookException("'To' must be an E.164 number, got '" + to + "'");
        String body = trimmed(form.get("Body"));
        if (body == null) throw new InvalidWebhookException("'Body' is required");
        if (body.length() > MAX_TEXT) throw new InvalidWebhookException("'Body' is longer than " + MAX_TEXT + " characters");
        String sid = sid(trimmed(form.get("MessageSid")), "MessageSid");
        if (sid == null) throw new InvalidWebhookException("'MessageSid' is required");
        boolean asks = CallIntent.asksForCall(body);
        return new SmsInbound(from, to, body, List.of(new ThreadMessage(ThreadMessage.Direction.INBOUND, now, body)),
                asks, asks, sid);
    }

    public static SmsInbound parse(JsonNode json, ZoneId businessZone, OffsetDateTime now) throws InvalidWebhookException {
        if (json == null || !json.isObject()) throw new InvalidWebhookException("body must be a JSON object");
        String from = text(json, "from");
        if (from == null) throw new InvalidWebhookException("'from' is required: the customer's E.164 number");
        if (!E164.isValid(from)) throw new InvalidWebhookException("'from' must be an E.164 number like +61412000111, got '" + from + "'");
        String to = text(json, "to");
        if (to != null && !E164.isValid(to)) throw new InvalidWebhookException("'to' must be an E.164 number, got '" + to + "'");
        String body = text(json, "body");
        if (body != null && body.length() > MAX_TEXT) throw new InvalidWebhookException("'body' is longer than " + MAX_TEXT + " characters");
        JsonNode flag = json.get("callbackRequested");
        if (flag != null && !flag.isBoolean()) throw new InvalidWebhookException("'callbackRequested' must be true or false");

        List<ThreadMessage> thread = new ArrayList<>();
        JsonNode t = json.get("thread");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) throw new InvalidWebhookException("'thread' must be an array");
            if (t.size() > MAX_THREAD) throw new InvalidWebhookException("'thread' has more than " + MAX_THREAD + " messages");
            int i = 0;
            for (JsonNode m : t) {
                thread.add(message(m, i++, businessZone));
            }
        }
        if (thread.isEmpty() && body != null) {
            thread.add(new ThreadMessage(ThreadMessage.Direction.INBOUND, now, body));
        }
        if (thread.stream().noneMatch(m -> m.direction() == ThreadMessage.Direction.INBOUND)) {
            throw new InvalidWebhookException("the thread has no inbound message from the customer ('body' or 'thread')");
        }
        String sid = sid(text(json, "messageSid"), "messageSid");
        if (flag != null) return new SmsInbound(from, to, body, List.copyOf(thread), flag.asBoolean(), false, sid);
        boolean asks = CallIntent.asksForCall(latestInbound(body, thread));
        return new SmsInbound(from, to, body, List.copyOf(thread), asks, asks, sid);
    }

    private static String latestInbound(String body, List<ThreadMessage> thread) {
        if (body != null) return body;
        ThreadMessage latest = null;
        for (ThreadMessage m : thread) {
            if (m.direction() == ThreadMessage.Direction.INBOUND && (latest == null || !m.at().isBefore(latest.at()))) latest = m;
        }
        return latest == null ? null : latest.text();
    }

    private static String sid(String sid, String field) throws InvalidWebhookException {
        if (sid != null && !SID.matcher(sid).matches()) throw new InvalidWebhookException("'" + field + "' must be 1-64 letters, digits, '-' or '_'");
        return sid;
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static ThreadMessage message(JsonNode m, int index, ZoneId zone) throws InvalidWebhookException {
        String where = "thread[" + index + "]";
        if (!m.isObject()) throw new InvalidWebhookException(where + " must be an object");
        String dir = text(m, "direction");
        ThreadMessage.Direction direction;
        if ("inbound".equalsIgnoreCase(dir)) direction = ThreadMessage.Direction.INBOUND;
        else if ("outbound".equalsIgnoreCase(dir)) direction = ThreadMessage.Direction.OUTBOUND;
        else throw new InvalidWebhookException(where + ".direction must be 'inbound' or 'outbound'");
        String text = text(m, "text");
        if (text == null) throw new InvalidWebhookException(where + ".text is required");
        if (text.length() > MAX_TEXT) throw new InvalidWebhookException(where + ".text is longer than " + MAX_TEXT + " characters");
        String at = text(m, "at");
        if (at == null) throw new InvalidWebhookException(where + ".at is required (ISO-8601)");
        return new ThreadMessage(direction, time(at, zone, where), text);
    }

    private static OffsetDateTime time(String at, ZoneId zone, String where) throws InvalidWebhookException {
        try {
            return OffsetDateTime.parse(at);
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(at).atZone(zone).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                throw new InvalidWebhookException(where + ".at must be an ISO-8601 date-time, got '" + at + "'");
            }
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText().trim();
    }
}
