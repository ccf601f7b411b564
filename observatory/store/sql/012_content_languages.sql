-- Content in the reader's language: each indicator's name, theme and description may have an English,
-- Portuguese and French version beside the original (NULL: none; pages then show the original, marked).
-- The history twin gets the same columns, in the same order, so a rollback restores them too.
ALTER TABLE indicators ADD COLUMN name_en VARCHAR;
ALTER TABLE indicators ADD COLUMN name_pt VARCHAR;
ALTER TABLE indicators ADD COLUMN name_fr VARCHAR;
ALTER TABLE indicators ADD COLUMN theme_en VARCHAR;
ALTER TABLE indicators ADD COLUMN theme_pt VARCHAR;
ALTER TABLE indicators ADD COLUMN theme_fr VARCHAR;
ALTER TABLE indicators ADD COLUMN description_en VARCHAR;
ALTER TABLE indicators ADD COLUMN description_pt VARCHAR;
ALTER TABLE indicators ADD COLUMN description_fr VARCHAR;
ALTER TABLE indicators_history ADD COLUMN name_en VARCHAR;
ALTER TABLE indicators_history ADD COLUMN name_pt VARCHAR;
ALTER TABLE indicators_history ADD COLUMN name_fr VARCHAR;
ALTER TABLE indicators_history ADD COLUMN theme_en VARCHAR;
ALTER TABLE indicators_history ADD COLUMN theme_pt VARCHAR;
ALTER TABLE indicators_history ADD COLUMN theme_fr VARCHAR;
ALTER TABLE indicators_history ADD COLUMN description_en VARCHAR;
ALTER TABLE indicators_history ADD COLUMN description_pt VARCHAR;
ALTER TABLE indicators_history ADD COLUMN description_fr VARCHAR;
