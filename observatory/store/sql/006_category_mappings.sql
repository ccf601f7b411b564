-- Categories of published formats (an SSMSI class, a police.uk crime type, a local incident category)
-- and the indicator each one counts towards; a NULL indicator means the category is not followed.
-- Saved by the import that used them, so the next file of the same source is mapped the same way,
-- and rolled back with that import. Its history twin is generated from schema.TABLES.
CREATE TABLE category_mappings (
    source VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    indicator_code VARCHAR,
    batch_id INTEGER,
    PRIMARY KEY (source, category)
);
