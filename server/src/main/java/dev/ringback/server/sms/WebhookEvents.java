package dev.ringback.server.sms;

/** What the webhooks count (metrics): a request accepted, a webhook refused. */
public interface WebhookEvents {
    void requestAccepted();

    void webhookRejected();
}
