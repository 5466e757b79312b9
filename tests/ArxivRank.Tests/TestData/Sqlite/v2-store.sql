-- An ArxivRank store at schema v2, before the learned ranker (no judged_papers, feedback or learned_models yet).
PRAGMA journal_mode = WAL;
CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);
INSERT INTO schema_version VALUES (1, '2025-02-26T13:00:00.0000000+00:00');
CREATE TABLE digests (
    day TEXT NOT NULL PRIMARY KEY,
    total_papers INTEGER NOT NULL,
    selected_papers INTEGER NOT NULL,
    processed_at TEXT NOT NULL
);
CREATE TABLE seen_papers (
    paper_id TEXT NOT NULL,
    day TEXT NOT NULL,
    PRIMARY KEY (paper_id, day)
) WITHOUT ROWID;
CREATE TABLE score_cache (
    paper_id TEXT NOT NULL,
    criteria_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    score_paper_id TEXT NOT NULL,
    relevance INTEGER,
    novelty INTEGER,
    score REAL,
    comment TEXT,
    origin TEXT NOT NULL,
    scored_by TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (criteria_hash, model_id, paper_id)
) WITHOUT ROWID;
INSERT INTO digests VALUES ('2025-02-25', 610, 35, '2025-02-25T13:00:00.0000000+00:00');
INSERT INTO digests VALUES ('2025-02-26', 625, 37, '2025-02-26T13:00:00.0000000+00:00');
INSERT INTO seen_papers VALUES ('2502.17578', '2025-02-25');
INSERT INTO seen_papers VALUES ('2502.18435', '2025-02-26');
INSERT INTO score_cache VALUES ('2502.18377v1', 'criteria-v1', 'gpt-4o', '2502.18377', 9, 9, NULL,
    'Mechanistic PDE networks for discovering governing equations.', 'scored', 'gpt-4o', '2025-02-26T13:00:00.0000000+00:00');
INSERT INTO schema_version VALUES (2, '2025-03-01T13:00:00.0000000+00:00');
ALTER TABLE digests ADD COLUMN scanned_papers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE digests ADD COLUMN digest_json TEXT;
ALTER TABLE score_cache ADD COLUMN extra_json TEXT;
CREATE INDEX ix_seen_papers_day ON seen_papers (day);
INSERT INTO digests VALUES ('2025-03-03', 590, 31, '2025-03-03T13:00:00.0000000+00:00', 402, '{"date":"2025-03-03"}');
