-- An ArxivRank PostgreSQL store as schema v2 (the first cluster release) left it: its tables and some rows.
-- Frozen: never regenerate it from the current migrations.
CREATE SCHEMA arxivrank;
CREATE TABLE arxivrank.schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL);
CREATE TABLE arxivrank.readers (
    reader_id text NOT NULL PRIMARY KEY,
    profile_json text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE TABLE arxivrank.digests (
    reader_id text NOT NULL,
    day date NOT NULL,
    total_papers integer NOT NULL,
    scanned_papers integer NOT NULL,
    selected_papers integer NOT NULL,
    processed_at timestamptz NOT NULL,
    digest_json text,
    PRIMARY KEY (reader_id, day)
);
CREATE TABLE arxivrank.seen_papers (
    reader_id text NOT NULL,
    paper_id text NOT NULL,
    day date NOT NULL,
    PRIMARY KEY (reader_id, paper_id, day)
);
CREATE INDEX ix_seen_papers_reader_day ON arxivrank.seen_papers (reader_id, day);
CREATE TABLE arxivrank.score_cache (
    paper_id text NOT NULL,
    criteria_hash text NOT NULL,
    model_id text NOT NULL,
    score_paper_id text NOT NULL,
    relevance integer,
    novelty integer,
    score double precision,
    comment text,
    origin text NOT NULL,
    scored_by text,
    extra_json text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (criteria_hash, model_id, paper_id)
);
CREATE TABLE arxivrank.judged_papers (
    reader_id text NOT NULL,
    paper_id text NOT NULL,
    day date NOT NULL,
    paper_version integer,
    title text NOT NULL,
    abstract text NOT NULL,
    authors_json text NOT NULL,
    categories_json text NOT NULL,
    relevance integer,
    novelty integer,
    selected boolean NOT NULL,
    scored_by text,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (reader_id, paper_id, day)
);
CREATE TABLE arxivrank.feedback (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reader_id text NOT NULL,
    paper_id text NOT NULL,
    verdict text NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX ix_feedback_reader ON arxivrank.feedback (reader_id, id);
CREATE TABLE arxivrank.learned_models (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reader_id text NOT NULL,
    format_version integer NOT NULL,
    model_json text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX ix_learned_models_reader ON arxivrank.learned_models (reader_id, id);
CREATE TABLE arxivrank.announcements (
    categories text NOT NULL,
    day date NOT NULL,
    result_json text NOT NULL,
    paper_count integer NOT NULL,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (categories, day)
);
INSERT INTO arxivrank.schema_version VALUES (1, 'readers, per-reader history, papers seen, labels, feedback and models; shared score cache and announcements', '2025-02-20 08:00:00+00');
CREATE TABLE arxivrank.runs (
    request_day date NOT NULL PRIMARY KEY,
    announcement_day date,
    started_at timestamptz NOT NULL
);
CREATE TABLE arxivrank.reader_runs (
    reader_id text NOT NULL,
    day date NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    lease_until timestamptz,
    error text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (day, reader_id)
);
INSERT INTO arxivrank.schema_version VALUES (2, 'cluster runs: one run per day, one leased run per reader and day', '2025-02-20 08:00:00+00');
INSERT INTO arxivrank.readers VALUES ('ada', '{"criteriaText":"## Topics\n- graph neural networks\n","categories":["cs.LG"]}', '2025-02-20 08:00:00+00', '2025-02-20 08:00:00+00');
INSERT INTO arxivrank.digests VALUES ('ada', '2025-02-25', 610, 610, 35, '2025-02-25 06:10:00+00', '{}');
INSERT INTO arxivrank.digests VALUES ('ada', '2025-02-26', 625, 625, 37, '2025-02-26 06:10:00+00', NULL);
INSERT INTO arxivrank.seen_papers VALUES ('ada', '2502.17578', '2025-02-25');
INSERT INTO arxivrank.score_cache VALUES ('2502.18377v1', 'criteria-v2', 'gpt-4o', '2502.18377v1', 9, 9, NULL, 'Mechanistic PDE networks.', 'scored', 'gpt-4o', NULL, '2025-02-26 06:05:00+00');
INSERT INTO arxivrank.runs VALUES ('2025-02-26', '2025-02-26', '2025-02-26 06:00:00+00');
INSERT INTO arxivrank.reader_runs VALUES ('ada', '2025-02-26', 'done', 1, NULL, NULL, '2025-02-26 06:10:00+00');
