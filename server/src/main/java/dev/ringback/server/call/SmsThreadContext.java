package dev.ringback.server.call;

import dev.ringback.agent.CallbackContext;
import dev.ringback.agent.business.SmsMessage;
import dev.ringback.server.sms.CallbackRequest;
import dev.ringback.server.sms.ThreadMessage;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The SMS thread of a callback request as the dialog knows it: messages in the business's local time, and the
 * dialog's clock set to the customer's last text (the request's arrival when the thread has none).
 */
final class SmsThreadContext {
    private SmsThreadContext() {}

    static CallbackContext of(String callId, CallbackRequest request, ZoneId zone, Optional<String> customerName) {
        List<SmsMessage> thread = request.thread().stream()
                .map(m -> new SmsMessage(
                        m.direction() == ThreadMessage.Direction.INBOUND ? SmsMessage.Direction.INBOUND : SmsMessage.Direction.OUTBOUND,
                        m.at().atZoneSameInstant(zone).toLocalDateTime(), m.text()))
                .toList();
        ZonedDateTime smsAt = request.thread().stream()
                .filter(m -> m.direction() == ThreadMessage.Direction.INBOUND)
                .reduce((a, b) -> b)
                .map(m -> m.at().atZoneSameInstant(zone))
                .orElse(request.receivedAt().atZone(zone));
        return new CallbackContext(callId, request.customerPhone(), customerName, thread, smsAt);
    }
}
