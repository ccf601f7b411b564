-- The text blocks of a council document that staff write (the security diagnosis's commentary), per
-- document kind, year and block. Like assessments, each saved version is a new row, written through the
-- batch machinery (logged, undoable); the newest version of a block is the one a document prints.
-- Its history twin is generated from schema.TABLES.
CREATE TABLE document_texts (
    kind VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    block VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    text VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    batch_id INTEGER
);
