-- CloudWatch metrics: datapoints aggregated per metric (namespace, name, canonical dimensions)
-- and second; every write adds to the second's statistic set. Old rows are purged (retention).
CREATE TABLE cw_metric_datum (
    namespace     TEXT             NOT NULL,
    metric_name   TEXT             NOT NULL,
    dimensions    TEXT             NOT NULL,
    ts            TIMESTAMPTZ      NOT NULL,
    unit          TEXT,
    sample_count  DOUBLE PRECISION NOT NULL,
    sum           DOUBLE PRECISION NOT NULL,
    min           DOUBLE PRECISION NOT NULL,
    max           DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (namespace, metric_name, dimensions, ts)
);
CREATE INDEX cw_metric_datum_ts ON cw_metric_datum (ts);

-- CloudWatch metric alarms: the definition PutMetricAlarm gave and the state the leader's
-- evaluation (or SetAlarmState) set. Lists and tags are JSON text.
CREATE TABLE cw_alarm (
    name                       TEXT             PRIMARY KEY,
    description                TEXT,
    actions_enabled            BOOLEAN          NOT NULL,
    ok_actions                 TEXT             NOT NULL,
    alarm_actions              TEXT             NOT NULL,
    insufficient_data_actions  TEXT             NOT NULL,
    namespace                  TEXT             NOT NULL,
    metric_name                TEXT             NOT NULL,
    dimensions                 TEXT             NOT NULL,
    statistic                  TEXT             NOT NULL,
    unit                       TEXT,
    period                     INTEGER          NOT NULL,
    evaluation_periods         INTEGER          NOT NULL,
    datapoints_to_alarm        INTEGER,
    threshold                  DOUBLE PRECISION NOT NULL,
    comparison_operator        TEXT             NOT NULL,
    treat_missing_data         TEXT             NOT NULL,
    tags                       TEXT             NOT NULL,
    config_updated_at          TIMESTAMPTZ      NOT NULL,
    state_value                TEXT             NOT NULL,
    state_reason               TEXT             NOT NULL,
    state_reason_data          TEXT,
    state_updated_at           TIMESTAMPTZ      NOT NULL,
    state_transitioned_at      TIMESTAMPTZ      NOT NULL,
    evaluated_until            TIMESTAMPTZ,
    version                    BIGINT           NOT NULL
);
CREATE INDEX cw_alarm_state ON cw_alarm (state_value);
