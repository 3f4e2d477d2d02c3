-- Server-owned tables: callback requests from SMS webhooks, the calls made for them, and what was said.
CREATE TABLE callback_request (
    id                 VARCHAR(36)  PRIMARY KEY,
    customer_phone     VARCHAR(20)  NOT NULL,
    business_phone     VARCHAR(20),
    body               VARCHAR(2000),
    thread_json        CLOB         NOT NULL,
    message_sid        VARCHAR(64),
    state              VARCHAR(20)  NOT NULL,
    reason             VARCHAR(1000),
    attempts           INT          DEFAULT 0 NOT NULL,
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    received_nanos     BIGINT,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX callback_request_state ON callback_request(state, received_at);
CREATE UNIQUE INDEX callback_request_sid ON callback_request(message_sid);

CREATE TABLE callback_request_event (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    request_id  VARCHAR(36) NOT NULL REFERENCES callback_request(id),
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    state       VARCHAR(20) NOT NULL,
    detail      VARCHAR(1000)
);

CREATE TABLE call (
    id                   VARCHAR(36) PRIMARY KEY,
    request_id           VARCHAR(36) REFERENCES callback_request(id),
    sip_call_id          VARCHAR(200),
    customer_phone       VARCHAR(20) NOT NULL,
    state                VARCHAR(20) NOT NULL,
    outcome              VARCHAR(40),
    reason               VARCHAR(1000),
    sip_status           INT,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    invite_sent_at       TIMESTAMP WITH TIME ZONE,
    answered_at          TIMESTAMP WITH TIME ZONE,
    ended_at             TIMESTAMP WITH TIME ZONE,
    webhook_to_invite_ms DOUBLE PRECISION
);
CREATE INDEX call_request ON call(request_id);

CREATE TABLE call_turn (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    call_id      VARCHAR(36) NOT NULL REFERENCES call(id),
    seq          INT NOT NULL,
    speaker      VARCHAR(10) NOT NULL,
    text         VARCHAR(2000) NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    latency_ms   DOUBLE PRECISION,
    interrupted  BOOLEAN DEFAULT FALSE NOT NULL
);
CREATE INDEX call_turn_call ON call_turn(call_id, seq);

CREATE TABLE workflow_setting (
    name        VARCHAR(64) PRIMARY KEY,
    enabled     BOOLEAN NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
