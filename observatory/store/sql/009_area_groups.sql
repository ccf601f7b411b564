-- Area groupings staff define (wards, priority neighbourhoods, police sectors, the districts a city
-- contract finances): a code and a name, and the member districts. A group's members are replaced as a
-- set by the batch that writes the group (a form edit, a CSV, a boundary file's attribute). Both tables
-- are published with the release; a group has no figures of its own (they are summed from its members
-- by the one total rule). Their history twins are generated from schema.TABLES.
CREATE TABLE area_groups (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    batch_id INTEGER
);
CREATE TABLE area_group_members (
    group_code VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (group_code, area_code)
);
