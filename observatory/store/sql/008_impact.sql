-- Impact of actions and outcome-based contracts.
-- An action names where it acts (target areas: district codes, '|'-separated, kept as text so a later
-- group of areas can be named the same way), the result indicators it aims to move ('|'-separated) and,
-- optionally, the comparison areas staff chose. Its history twin gains the same columns, in the same order.
ALTER TABLE actions ADD COLUMN target_areas VARCHAR;
ALTER TABLE actions ADD COLUMN result_indicators VARCHAR;
ALTER TABLE actions ADD COLUMN comparison_areas VARCHAR;
ALTER TABLE actions_history ADD COLUMN target_areas VARCHAR;
ALTER TABLE actions_history ADD COLUMN result_indicators VARCHAR;
ALTER TABLE actions_history ADD COLUMN comparison_areas VARCHAR;

-- An outcome-based contract (social impact bond, payment by results): one outcome indicator measured in
-- its areas against comparison areas (or, with none, against its own baseline period), from start to end.
CREATE TABLE contracts (
    code VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    comparison_areas VARCHAR,
    baseline_start DATE,
    start_date DATE NOT NULL,
    end_date DATE,
    batch_id INTEGER
);

-- Who is party to a contract, and as what: investor, provider or payer (the partner's own sector says
-- whether it is public, private or community).
CREATE TABLE contract_partners (
    contract_code VARCHAR NOT NULL,
    partner_code VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (contract_code, partner_code, role)
);

-- Cohorts of a contract (its areas, '|'-separated; the cohort 'all' is the whole contract), the
-- relative reduction that triggers payment (0.075 = 7.5 %) and the payment due when it is met.
CREATE TABLE contract_cohorts (
    contract_code VARCHAR NOT NULL,
    cohort VARCHAR NOT NULL,
    areas VARCHAR NOT NULL,
    threshold DOUBLE NOT NULL,
    payment DOUBLE NOT NULL,
    due_date DATE,
    batch_id INTEGER,
    PRIMARY KEY (contract_code, cohort)
);
-- The contract tables' history twins follow (schema.TABLES declares them since version 8).
