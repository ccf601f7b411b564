-- Derived indicators: an indicator whose figures are the sum of other indicators' figures (e.g. all
-- crime = the sum of the crime types, anti-social behaviour left out). One row per component; the set
-- of a derived indicator is replaced as a whole by the batch that declares it. Every observations
-- import recomputes the derived figures of the areas and periods it touches, in its own batch.
-- Its history twin is generated from schema.TABLES.
CREATE TABLE derived_components (
    indicator_code VARCHAR NOT NULL,
    component_code VARCHAR NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (indicator_code, component_code)
);
