-- Sagebrush job-scheduler schema: agents, training jobs with their history, tasks, final metrics,
-- log groups/streams/events and resource tags. PostgreSQL only.

CREATE TABLE sched_agent (
    id              VARCHAR(64)  PRIMARY KEY,
    name            VARCHAR(255) NOT NULL,
    cpus            INTEGER      NOT NULL,
    memory_mb       BIGINT       NOT NULL,
    gpu_indices     VARCHAR(1024) NOT NULL DEFAULT '',
    gpus_json       TEXT         NOT NULL DEFAULT '[]',
    runtime         VARCHAR(32)  NOT NULL,
    agent_version   VARCHAR(128),
    registered_at   TIMESTAMPTZ  NOT NULL,
    last_heartbeat  TIMESTAMPTZ  NOT NULL,
    lost            BOOLEAN      NOT NULL DEFAULT FALSE,
    restarted       BOOLEAN      NOT NULL DEFAULT FALSE,
    version         BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE training_job (
    id                   BIGSERIAL     PRIMARY KEY,
    name                 VARCHAR(63)   NOT NULL,
    name_lower           VARCHAR(63)   NOT NULL UNIQUE,
    arn                  VARCHAR(256)  NOT NULL UNIQUE,
    state                VARCHAR(32)   NOT NULL,
    status               VARCHAR(32)   NOT NULL,
    secondary_status     VARCHAR(32)   NOT NULL,
    stop_cause           VARCHAR(32),
    failure_reason       VARCHAR(1024),
    waiting_for          VARCHAR(1024),
    spec_json            TEXT          NOT NULL,
    model_artifact_uri   VARCHAR(1200) NOT NULL,
    creation_time        TIMESTAMPTZ   NOT NULL,
    training_start_time  TIMESTAMPTZ,
    training_end_time    TIMESTAMPTZ,
    last_modified_time   TIMESTAMPTZ   NOT NULL,
    state_since          TIMESTAMPTZ   NOT NULL,
    placement_attempts   INTEGER       NOT NULL DEFAULT 0,
    version              BIGINT        NOT NULL DEFAULT 0
);
-- The queue: queued jobs in arrival order, claimed with FOR UPDATE SKIP LOCKED.
CREATE INDEX training_job_queue_idx ON training_job (creation_time, id) WHERE state = 'QUEUED';
CREATE INDEX training_job_live_idx ON training_job (state) WHERE state NOT IN ('COMPLETED', 'FAILED', 'STOPPED');
CREATE INDEX training_job_creation_idx ON training_job (creation_time, id);

-- Append-only history; SecondaryStatusTransitions are derived from it.
CREATE TABLE training_job_transition (
    id                BIGSERIAL     PRIMARY KEY,
    job_id            BIGINT        NOT NULL REFERENCES training_job (id),
    state             VARCHAR(32)   NOT NULL,
    secondary_status  VARCHAR(32)   NOT NULL,
    reason            VARCHAR(64)   NOT NULL,
    message           VARCHAR(1024) NOT NULL,
    at                TIMESTAMPTZ   NOT NULL
);
CREATE INDEX training_job_transition_job_idx ON training_job_transition (job_id, id);

-- One task per placement of a job: all its hosts on one agent.
CREATE TABLE training_task (
    id               VARCHAR(64)      PRIMARY KEY,
    job_id           BIGINT           NOT NULL REFERENCES training_job (id),
    agent_id         VARCHAR(64)      NOT NULL REFERENCES sched_agent (id),
    cpus             DOUBLE PRECISION NOT NULL,
    memory_mb        BIGINT           NOT NULL,
    gpu_indices      VARCHAR(1024)    NOT NULL DEFAULT '',
    assignment_json  TEXT             NOT NULL,
    created_at       TIMESTAMPTZ      NOT NULL,
    acknowledged     BOOLEAN          NOT NULL DEFAULT FALSE,
    stop_requested   BOOLEAN          NOT NULL DEFAULT FALSE,
    ended            BOOLEAN          NOT NULL DEFAULT FALSE,
    missing_polls    INTEGER          NOT NULL DEFAULT 0,
    version          BIGINT           NOT NULL DEFAULT 0
);
CREATE INDEX training_task_agent_live_idx ON training_task (agent_id) WHERE NOT ended;
CREATE INDEX training_task_job_idx ON training_task (job_id);

CREATE TABLE training_job_metric (
    id           BIGSERIAL        PRIMARY KEY,
    job_id       BIGINT           NOT NULL REFERENCES training_job (id),
    metric_name  VARCHAR(255)     NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    at           TIMESTAMPTZ      NOT NULL,
    UNIQUE (job_id, metric_name)
);

CREATE TABLE log_group (
    name           VARCHAR(512) PRIMARY KEY,
    creation_time  BIGINT       NOT NULL
);

CREATE TABLE log_stream (
    id                     BIGSERIAL    PRIMARY KEY,
    group_name             VARCHAR(512) NOT NULL REFERENCES log_group (name),
    name                   VARCHAR(512) NOT NULL,
    creation_time          BIGINT       NOT NULL,
    first_event_timestamp  BIGINT,
    last_event_timestamp   BIGINT,
    last_ingestion_time    BIGINT,
    stored_bytes           BIGINT       NOT NULL DEFAULT 0,
    UNIQUE (group_name, name)
);

-- The global id orders events by ingestion and backs event ids and paging tokens.
CREATE TABLE log_event (
    id               BIGSERIAL PRIMARY KEY,
    stream_id        BIGINT    NOT NULL REFERENCES log_stream (id),
    event_timestamp  BIGINT    NOT NULL,
    ingestion_time   BIGINT    NOT NULL,
    message          TEXT      NOT NULL
);
CREATE INDEX log_event_stream_idx ON log_event (stream_id, id);

CREATE TABLE resource_tag (
    id            BIGSERIAL    PRIMARY KEY,
    resource_arn  VARCHAR(256) NOT NULL,
    tag_key       VARCHAR(128) NOT NULL,
    tag_value     VARCHAR(256) NOT NULL,
    UNIQUE (resource_arn, tag_key)
);
