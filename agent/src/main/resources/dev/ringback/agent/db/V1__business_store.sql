-- The agent's business store. Every table is prefixed agent_ so it can share a database with the server's tables.
CREATE TABLE agent_customer (
    phone       VARCHAR(32) PRIMARY KEY,
    name        VARCHAR(200)
);

CREATE TABLE agent_sms_thread (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_phone  VARCHAR(32) NOT NULL REFERENCES agent_customer(phone),
    call_id         VARCHAR(100)
);

CREATE TABLE agent_sms_message (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    thread_id   BIGINT NOT NULL REFERENCES agent_sms_thread(id),
    direction   VARCHAR(8) NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    body        VARCHAR(2000) NOT NULL
);

CREATE SEQUENCE agent_job_number START WITH 2001;

CREATE TABLE agent_job (
    id              VARCHAR(32) PRIMARY KEY,
    customer_phone  VARCHAR(32) NOT NULL REFERENCES agent_customer(phone),
    service         VARCHAR(64) NOT NULL,
    description     VARCHAR(500),
    status          VARCHAR(16) NOT NULL,
    done_on         DATE
);

-- One row per occupied place in an arrival window; the unique slot number enforces capacity in the database.
-- job_id is NULL for calendar blocks (a day the business marked full).
CREATE TABLE agent_booking (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    job_id          VARCHAR(32) REFERENCES agent_job(id),
    visit_date      DATE NOT NULL,
    window_start    TIME NOT NULL,
    window_end      TIME NOT NULL,
    slot            INT NOT NULL,
    CONSTRAINT agent_booking_one_per_job UNIQUE (job_id),
    CONSTRAINT agent_booking_capacity UNIQUE (visit_date, window_start, slot)
);

CREATE TABLE agent_owner_message (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_phone  VARCHAR(32) NOT NULL,
    about           VARCHAR(64) NOT NULL,
    body            VARCHAR(2000) NOT NULL,
    reason          VARCHAR(200) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE agent_scheduled_callback (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_phone  VARCHAR(32) NOT NULL,
    call_at         TIMESTAMP NOT NULL,
    note            VARCHAR(500) NOT NULL
);

CREATE TABLE agent_on_call (
    roster_order    INT PRIMARY KEY,
    name            VARCHAR(200) NOT NULL,
    phone           VARCHAR(32) NOT NULL
);

-- The tool-call log doubles as the idempotency table: the key is unique, the first result is the result.
CREATE SEQUENCE agent_tool_call_order;

CREATE TABLE agent_tool_call (
    idempotency_key VARCHAR(64) PRIMARY KEY,
    log_order       BIGINT DEFAULT (NEXT VALUE FOR agent_tool_call_order) NOT NULL,
    call_id         VARCHAR(100) NOT NULL,
    turn            INT NOT NULL,
    tool            VARCHAR(40) NOT NULL,
    args_json       VARCHAR(8000) NOT NULL,
    result_json     VARCHAR(8000) NOT NULL,
    ok              BOOLEAN NOT NULL,
    duration_micros BIGINT NOT NULL,
    logged_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX agent_tool_call_by_call ON agent_tool_call(call_id, log_order);
