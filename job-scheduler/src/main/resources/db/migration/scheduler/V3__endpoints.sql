-- Endpoints: the endpoint row (status, the update in progress), its fleets (one per generation and
-- production variant, with everything a replica needs copied from the model and endpoint config, so
-- deleting those does not affect a running endpoint) and its serving replicas (one agent task each).

CREATE TABLE sched_endpoint (
    id                      BIGSERIAL     PRIMARY KEY,
    name                    VARCHAR(63)   NOT NULL,
    name_lower              VARCHAR(63)   NOT NULL UNIQUE,
    arn                     VARCHAR(256)  NOT NULL UNIQUE,
    config_name             VARCHAR(63)   NOT NULL,
    status                  VARCHAR(32)   NOT NULL,
    failure_reason          VARCHAR(2048),
    deployment_config_json  TEXT,
    current_generation      INTEGER       NOT NULL,
    -- the update in progress: target fleet generation, its config, policy and progress
    target_generation       INTEGER,
    pending_config_name     VARCHAR(63),
    update_policy_json      TEXT,
    update_started_at       TIMESTAMPTZ,
    update_phase            VARCHAR(32),
    update_step             INTEGER       NOT NULL DEFAULT 0,
    phase_since             TIMESTAMPTZ,
    traffic_shift           DOUBLE PRECISION NOT NULL DEFAULT 0,
    creation_time           TIMESTAMPTZ   NOT NULL,
    last_modified_time      TIMESTAMPTZ   NOT NULL,
    status_since            TIMESTAMPTZ   NOT NULL,
    version                 BIGINT        NOT NULL DEFAULT 0
);
CREATE INDEX sched_endpoint_creation_idx ON sched_endpoint (creation_time, id);

CREATE TABLE sched_endpoint_fleet (
    id                        BIGSERIAL        PRIMARY KEY,
    endpoint_id               BIGINT           NOT NULL REFERENCES sched_endpoint (id) ON DELETE CASCADE,
    generation                INTEGER          NOT NULL,
    variant_name              VARCHAR(63)      NOT NULL,
    model_name                VARCHAR(63)      NOT NULL,
    image                     VARCHAR(2048)    NOT NULL,
    model_data_url            VARCHAR(2048),
    environment_json          TEXT             NOT NULL DEFAULT '{}',
    instance_type             VARCHAR(64)      NOT NULL,
    desired_count             INTEGER          NOT NULL,
    desired_weight            DOUBLE PRECISION NOT NULL,
    current_weight            DOUBLE PRECISION NOT NULL,
    startup_timeout_seconds   INTEGER          NOT NULL,
    download_timeout_seconds  INTEGER          NOT NULL,
    created_at                TIMESTAMPTZ      NOT NULL,
    waiting_since             TIMESTAMPTZ,
    waiting_for               VARCHAR(1024),
    UNIQUE (endpoint_id, generation, variant_name)
);

-- One serving task: a replica of a fleet on an agent.
CREATE TABLE sched_serving_replica (
    id               VARCHAR(64)      PRIMARY KEY,
    endpoint_id      BIGINT           NOT NULL REFERENCES sched_endpoint (id) ON DELETE CASCADE,
    endpoint_name    VARCHAR(63)      NOT NULL,
    generation       INTEGER          NOT NULL,
    variant_name     VARCHAR(63)      NOT NULL,
    agent_id         VARCHAR(64)      NOT NULL REFERENCES sched_agent (id),
    cpus             DOUBLE PRECISION NOT NULL,
    memory_mb        BIGINT           NOT NULL,
    gpu_indices      VARCHAR(1024)    NOT NULL DEFAULT '',
    assignment_json  TEXT             NOT NULL,
    state            VARCHAR(16)      NOT NULL,
    address          VARCHAR(1024),
    failure_reason   VARCHAR(2048),
    acknowledged     BOOLEAN          NOT NULL DEFAULT FALSE,
    stop_requested   BOOLEAN          NOT NULL DEFAULT FALSE,
    ended            BOOLEAN          NOT NULL DEFAULT FALSE,
    missing_polls    INTEGER          NOT NULL DEFAULT 0,
    stop_at          TIMESTAMPTZ,
    created_at       TIMESTAMPTZ      NOT NULL,
    ready_at         TIMESTAMPTZ,
    state_since      TIMESTAMPTZ      NOT NULL
);
CREATE INDEX sched_serving_replica_agent_live_idx ON sched_serving_replica (agent_id) WHERE NOT ended;
CREATE INDEX sched_serving_replica_endpoint_idx ON sched_serving_replica (endpoint_id);

-- The routing table's version: bumped in the transaction of every change gateways must see.
CREATE TABLE sched_routing_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  BIGINT  NOT NULL
);
INSERT INTO sched_routing_version (id, version) VALUES (1, 1);
