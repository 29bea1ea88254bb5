-- SageMaker models (CreateModel and friends). Containers are kept as the JSON the client sent,
-- so Describe echoes them exactly.
CREATE TABLE sched_model (
    id                        BIGSERIAL PRIMARY KEY,
    name                      VARCHAR(63)  NOT NULL,
    name_lower                VARCHAR(63)  NOT NULL UNIQUE,
    arn                       VARCHAR(256) NOT NULL UNIQUE,
    execution_role_arn        VARCHAR(2048),
    primary_container_json    TEXT,
    containers_json           TEXT,
    enable_network_isolation  BOOLEAN      NOT NULL DEFAULT FALSE,
    creation_time             TIMESTAMPTZ  NOT NULL
);
CREATE INDEX sched_model_creation_time ON sched_model (creation_time, id);

-- Endpoint configurations. echo_json is the request as the client sent it (less name and tags,
-- with defaults filled in), so Describe echoes it.
CREATE TABLE sched_endpoint_config (
    id             BIGSERIAL PRIMARY KEY,
    name           VARCHAR(63)  NOT NULL,
    name_lower     VARCHAR(63)  NOT NULL UNIQUE,
    arn            VARCHAR(256) NOT NULL UNIQUE,
    echo_json      TEXT         NOT NULL,
    creation_time  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX sched_endpoint_config_creation_time ON sched_endpoint_config (creation_time, id);
