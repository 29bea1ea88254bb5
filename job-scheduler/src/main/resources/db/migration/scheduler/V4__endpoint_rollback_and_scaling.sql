-- rollback_generation: the generation a rollback abandoned; it keeps serving (at its ready count)
-- until the generation in service is full again, so a rollback never leaves an endpoint without
-- routable replicas.
ALTER TABLE sched_endpoint ADD COLUMN rollback_generation INTEGER;

-- count_before: a fleet's desired count before the last capacity change, restored when the change
-- is given up.
ALTER TABLE sched_endpoint_fleet ADD COLUMN count_before INTEGER;
