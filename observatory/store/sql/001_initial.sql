-- Areas: the city (level 0), districts (level 1), optional neighbourhoods (level 2).
-- Geometries are GeoJSON text in EPSG:4326; display_geometry is the simplified copy for maps.
CREATE TABLE areas (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level INTEGER NOT NULL,
    parent_code VARCHAR,
    geometry VARCHAR,
    display_geometry VARCHAR,
    area_km2 DOUBLE,
    batch_id INTEGER
);

CREATE TABLE indicators (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    polarity VARCHAR NOT NULL,
    denominator_kind VARCHAR,
    multiplier DOUBLE NOT NULL,
    disclosure_threshold INTEGER NOT NULL,
    description VARCHAR,
    source VARCHAR,
    batch_id INTEGER
);

CREATE TABLE denominators (
    area_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (area_code, year, kind)
);

-- No primary-key index here on purpose: uniqueness of (indicator, area, granularity, period) is kept
-- by the single writer's merge (see writes.py), and the table stays cheap to load and scan at 10^7 rows.
CREATE TABLE observations (
    indicator_code VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    granularity VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    value DOUBLE,
    sample_size INTEGER,
    status VARCHAR NOT NULL,
    batch_id INTEGER
);

CREATE TABLE axes (
    code VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    description VARCHAR,
    batch_id INTEGER
);

CREATE TABLE partners (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    batch_id INTEGER
);

CREATE TABLE objectives (
    code VARCHAR PRIMARY KEY,
    axis_code VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    indicator_code VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    baseline_period VARCHAR NOT NULL,
    baseline_value DOUBLE NOT NULL,
    target_value DOUBLE NOT NULL,
    target_period VARCHAR NOT NULL,
    batch_id INTEGER
);

CREATE TABLE actions (
    code VARCHAR PRIMARY KEY,
    objective_code VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    lead_partner VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    start_date DATE,
    end_date DATE,
    budget DOUBLE,
    batch_id INTEGER
);

CREATE TABLE action_partners (
    action_code VARCHAR NOT NULL,
    partner_code VARCHAR NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (action_code, partner_code)
);

CREATE TABLE assessments (
    objective_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Every import attempt, dry runs and failures included.
CREATE SEQUENCE batch_ids START 1;
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    filename VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    user_name VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    state VARCHAR NOT NULL,
    report VARCHAR,
    rolls_back INTEGER
);

CREATE TABLE users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    password_hash VARCHAR,
    created_at TIMESTAMP NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE audit_ids START 1;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY DEFAULT nextval('audit_ids'),
    logged_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    detail VARCHAR
);
