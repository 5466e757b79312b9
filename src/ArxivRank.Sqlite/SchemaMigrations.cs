namespace ArxivRank.Sqlite;

/// <summary>
/// The store's schema, as an ordered list of migrations. Each runs once, inside the transaction that records it in
/// <c>schema_version</c>. Never edit a migration that has shipped: add the next one.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "history of digests, papers seen per day, score cache", """
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
            """),
        (2, "scanned count and digest JSON per day, extra score properties, seen-by-day index", """
            ALTER TABLE digests ADD COLUMN scanned_papers INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE digests ADD COLUMN digest_json TEXT;
            ALTER TABLE score_cache ADD COLUMN extra_json TEXT;
            CREATE INDEX ix_seen_papers_day ON seen_papers (day);
            """),
        (3, "learned ranker: judged papers with their text, reader feedback, trained models", """
            CREATE TABLE judged_papers (
                paper_id TEXT NOT NULL,
                day TEXT NOT NULL,
                paper_version INTEGER,
                title TEXT NOT NULL,
                abstract TEXT NOT NULL,
                authors_json TEXT NOT NULL,
                categories_json TEXT NOT NULL,
                relevance INTEGER,
                novelty INTEGER,
                selected INTEGER NOT NULL,
                scored_by TEXT,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (paper_id, day)
            ) WITHOUT ROWID;
            CREATE TABLE feedback (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                paper_id TEXT NOT NULL,
                verdict TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            );
            CREATE TABLE learned_models (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                format_version INTEGER NOT NULL,
                model_json TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        (4, "run lease: one digest run per store at a time", """
            CREATE TABLE run_lease (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                token TEXT NOT NULL,
                machine TEXT NOT NULL,
                process_id INTEGER NOT NULL,
                process_started_at TEXT,
                acquired_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
            """),
        (5, "delivery records: one per day, kind and target", """
            CREATE TABLE deliveries (
                day TEXT NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                status TEXT NOT NULL,
                parts_delivered INTEGER NOT NULL,
                reference TEXT,
                error TEXT,
                attempts INTEGER NOT NULL,
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (day, kind, target)
            ) WITHOUT ROWID;
            """),
        (6, "Batch API jobs of the LLM scorer: request map and provider ids, for resuming", """
            CREATE TABLE batch_jobs (
                job_id TEXT NOT NULL PRIMARY KEY,
                model_id TEXT NOT NULL,
                criteria_hash TEXT NOT NULL,
                state TEXT NOT NULL,
                requests_json TEXT NOT NULL,
                metadata_json TEXT NOT NULL,
                input_file_id TEXT,
                batch_id TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ix_batch_jobs_open ON batch_jobs (model_id, criteria_hash, state);
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>The tables a store has; a file with other tables and no <c>schema_version</c> is someone else's database.</summary>
    public static IReadOnlySet<string> OwnTables { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "schema_version", "digests", "seen_papers", "score_cache", "judged_papers", "feedback", "learned_models", "run_lease", "deliveries", "batch_jobs",
    };
}
