-- Threads per customer number, MessageSid de-duplication, and retry times for callback requests.
ALTER TABLE callback_request ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX callback_request_customer ON callback_request(customer_phone, state);

-- The whole SMS conversation with a number; every webhook from it extends this, and requests copy it.
CREATE TABLE sms_thread (
    customer_phone  VARCHAR(20) PRIMARY KEY,
    thread_json     CLOB        NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each delivered SMS once: a redelivered MessageSid answers with the first delivery's request.
CREATE TABLE sms_message (
    message_sid     VARCHAR(64) PRIMARY KEY,
    customer_phone  VARCHAR(20) NOT NULL,
    request_id      VARCHAR(36) REFERENCES callback_request(id),
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX call_customer_created ON call(customer_phone, created_at);
