-- Assessments are written through the batch machinery like every other edit: each new version is a
-- batch of its own (in the batch log, undoable), kept by objective, year and the time it was written.
ALTER TABLE assessments ADD COLUMN batch_id INTEGER;
-- Its history twin follows at the end of this migration (schema.TABLES declares it since version 5).

-- Each committed change of an objective's baseline, target or deadline: the previous state kept in the
-- history twin against the state that followed it (the next change's previous state, else the row as it
-- is now). Changes undone by a rollback are not listed: their batch is no longer committed.
CREATE VIEW objective_changes AS
WITH steps AS (
    SELECT
        h.code AS objective_code,
        h.change_batch AS batch_id,
        b.finished_at AS changed_at,
        b.user_name,
        b.kind AS batch_kind,
        h.baseline_period AS old_baseline_period,
        h.baseline_value AS old_baseline_value,
        h.target_value AS old_target_value,
        h.target_period AS old_target_period,
        lead(h.baseline_period) OVER w AS next_baseline_period,
        lead(h.baseline_value) OVER w AS next_baseline_value,
        lead(h.target_value) OVER w AS next_target_value,
        lead(h.target_period) OVER w AS next_target_period,
        lead(h.change_batch) OVER w AS next_batch
    FROM objectives_history h
    JOIN batches b ON b.id = h.change_batch
    WHERE h.change = 'updated' AND b.state = 'committed'
    WINDOW w AS (PARTITION BY h.code ORDER BY h.change_batch)
),
paired AS (
    SELECT
        s.objective_code, s.batch_id, s.changed_at, s.user_name, s.batch_kind,
        s.old_baseline_period,
        CASE WHEN s.next_batch IS NULL THEN o.baseline_period ELSE s.next_baseline_period END
            AS new_baseline_period,
        s.old_baseline_value,
        CASE WHEN s.next_batch IS NULL THEN o.baseline_value ELSE s.next_baseline_value END
            AS new_baseline_value,
        s.old_target_value,
        CASE WHEN s.next_batch IS NULL THEN o.target_value ELSE s.next_target_value END AS new_target_value,
        s.old_target_period,
        CASE WHEN s.next_batch IS NULL THEN o.target_period ELSE s.next_target_period END
            AS new_target_period
    FROM steps s
    JOIN objectives o ON o.code = s.objective_code
)
SELECT * FROM paired
WHERE old_baseline_period IS DISTINCT FROM new_baseline_period
   OR old_baseline_value IS DISTINCT FROM new_baseline_value
   OR old_target_value IS DISTINCT FROM new_target_value
   OR old_target_period IS DISTINCT FROM new_target_period;
