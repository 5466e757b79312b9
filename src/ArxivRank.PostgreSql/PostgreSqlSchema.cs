namespace ArxivRank.PostgreSql;

/// <summary>
/// The store's schema (in the PostgreSQL schema <c>arxivrank</c>), as an ordered list of migrations. Each runs once,
/// inside the transaction that records it in <c>arxivrank.schema_version</c>, under an advisory lock so that many
/// processes starting at once migrate exactly once. Never edit a migration that has shipped: add the next one.
/// </summary>
/// <remarks>
/// A reader's own data (history, papers seen, judged papers, feedback, models, run lease, deliveries, Batch API jobs) is
/// keyed by <c>reader_id</c>. The world's
/// data is shared: the score cache (paper × criteria hash × model, so readers who share criteria share scores) and the
/// papers of each announcement (category set × day).
/// </remarks>
internal static class PostgreSqlSchema
{
    /// <summary>The PostgreSQL schema that holds every table.</summary>
    public const string Name = "arxivrank";

    /// <summary>The advisory lock key under which migrations run (ASCII "arxivrnk").</summary>
    public const long MigrationLockKey = 0x61727869_76726E6B;

    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } =
    [
        (1, "readers, per-reader history, papers seen, labels, feedback and models; shared score cache and announcements", """
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
            """),
        (2, "cluster runs: one run per day, one leased run per reader and day", """
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
            """),
        (3, "per-reader run lease, delivery records and Batch API jobs", """
            CREATE TABLE arxivrank.run_leases (
                reader_id text NOT NULL PRIMARY KEY,
                token text NOT NULL,
                machine text NOT NULL,
                process_id integer NOT NULL,
                process_started_at timestamptz,
                acquired_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            );
            CREATE TABLE arxivrank.deliveries (
                reader_id text NOT NULL,
                day date NOT NULL,
                kind text NOT NULL,
                target text NOT NULL,
                status text NOT NULL,
                parts_delivered integer NOT NULL,
                reference text,
                error text,
                attempts integer NOT NULL,
                recorded_at timestamptz NOT NULL,
                PRIMARY KEY (reader_id, day, kind, target)
            );
            CREATE TABLE arxivrank.batch_jobs (
                reader_id text NOT NULL,
                job_id text NOT NULL,
                model_id text NOT NULL,
                criteria_hash text NOT NULL,
                state text NOT NULL,
                requests_json text NOT NULL,
                metadata_json text NOT NULL,
                input_file_id text,
                batch_id text,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (reader_id, job_id)
            );
            CREATE INDEX ix_batch_jobs_open ON arxivrank.batch_jobs (reader_id, model_id, criteria_hash) WHERE state <> 'Collected';
            """),
    ];

    public static int Latest => All[^1].Version;
}
