package dev.ringback.server.sms;

/** The webhook body cannot become a callback request; the message is returned to the sender as the reason. */
public final class InvalidWebhookException extends Exception {
    public InvalidWebhookException(String reason) {
        super(reason);
    }
}
