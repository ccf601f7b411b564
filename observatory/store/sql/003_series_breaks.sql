-- Series breaks: a change of definition, source or recording practice from a date on, after which an
-- indicator's values are not comparable with those before. Charts mark them; trend tests start after
-- the latest one.
CREATE TABLE series_breaks (
    indicator_code VARCHAR NOT NULL,
    break_date DATE NOT NULL,
    note VARCHAR,
    PRIMARY KEY (indicator_code, break_date)
);
