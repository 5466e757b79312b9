using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArxivRank.Pipeline;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArxivRank.Sqlite;

/// <summary>
/// The embedded, persistent store: digest history, papers seen per announcement day, and the score cache, in one SQLite
/// file (by default in the user's local data folder). A re-run of a day spends zero tokens.
/// </summary>
/// <remarks>
/// <para>The schema is versioned (<c>schema_version</c>) and migrated in order when the file is first used. The file uses
/// WAL journaling, every write is one <c>BEGIN IMMEDIATE</c> transaction, and a busy timeout makes a second process wait
/// for the first instead of failing — so two runs at once are safe, and a crash leaves the last committed state.</para>
/// <para>Thread-safe. Each operation opens a pooled connection; <see cref="Dispose"/> releases the file.</para>
/// </remarks>
public sealed partial class SqliteArxivRankStore : IDigestStore, IScoreCache, IDisposable
{
    private const string DayFormat = "yyyy-MM-dd";
    private readonly string _connectionString;
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncOnce _initialization = new();

    /// <summary>Initializes a new instance of the <see cref="SqliteArxivRankStore"/> class. The file is opened (created, migrated) on first use.</summary>
    /// <param name="options">Where the file is and how long to wait for another process; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timestamps (default: <see cref="TimeProvider.System"/>).</param>
    /// <param name="logger">Receives migrations and openings; may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="DigestStoreException">No path was given and the user has no local data folder.</exception>
    public SqliteArxivRankStore(SqliteStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger<SqliteArxivRankStore>? logger = null)
    {
        _options = options?.Clone() ?? new SqliteStoreOptions();
        string? problem = _options.Validate().FirstOrDefault();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Path = System.IO.Path.GetFullPath(_options.Path ?? DefaultPath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>Gets the default location of the store: <c>arxivrank/arxivrank.db</c> in the user's local data folder.</summary>
    /// <exception cref="DigestStoreException">The user has no local data folder (pass <see cref="SqliteStoreOptions.Path"/>).</exception>
    public static string DefaultPath
    {
        get
        {
            string folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(folder)
                ? throw new DigestStoreException("This user has no local data folder for the ArxivRank store; pass a path (SqliteStoreOptions.Path, or --store in the CLI).")
                : System.IO.Path.Combine(folder, "arxivrank", "arxivrank.db");
        }
    }

    /// <summary>Gets the schema version this version of ArxivRank writes.</summary>
    public static int LatestSchemaVersion => SchemaMigrations.Latest;

    /// <summary>Gets the full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Opens the file now (creating and migrating it as needed) instead of on first use, so problems show early.</summary>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="DigestStoreException">The file cannot be created or opened, is not an ArxivRank store, or comes from a newer version.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _initialization.RunAsync(MigrateAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the schema version of the file (after opening it).</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The version recorded in <c>schema_version</c>.</returns>
    /// <exception cref="DigestStoreException">The store cannot be opened or read.</exception>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
        => ReadAsync(c => Convert.ToInt32(Scalar(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture), "read the schema version", cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<DateOnly?> GetLastProcessedAsync(CancellationToken cancellationToken = default)
        => await ReadAsync(c => Scalar(c, "SELECT MAX(day) FROM digests;") is string day ? ParseDay(day) : (DateOnly?)null, "read the last processed day", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> IsProcessedAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await ReadAsync(c => Scalar(c, "SELECT 1 FROM digests WHERE day = $day;", ("$day", Day(day))) is not null, "read the history", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlySet<ArxivId>> GetSeenBeforeAsync(DateOnly day, IReadOnlyCollection<ArxivId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return new HashSet<ArxivId>();
        }

        string json = JsonArray(ids.Select(id => id.Id).Distinct(StringComparer.Ordinal));
        return await ReadAsync(
            c =>
            {
                using var command = Command(
                    c,
                    "SELECT DISTINCT paper_id FROM seen_papers WHERE day < $day AND paper_id IN (SELECT value FROM json_each($ids));",
                    ("$day", Day(day)),
                    ("$ids", json));
                using var reader = command.ExecuteReader();
                var seen = new HashSet<ArxivId>();
                while (reader.Read())
                {
                    if (ArxivId.TryParse(reader.GetString(0), out var id))
                    {
                        seen.Add(id);
                    }
                }

                return (IReadOnlySet<ArxivId>)seen;
            },
            "read the papers seen before",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask MarkProcessedAsync(DigestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        string day = Day(record.Date);
        await WriteAsync(
            (c, t) =>
            {
                Execute(c, t, "DELETE FROM seen_papers WHERE day = $day;", ("$day", day));
                using (var insert = Command(c, "INSERT OR IGNORE INTO seen_papers (paper_id, day) VALUES ($id, $day);", ("$day", day), ("$id", string.Empty)))
                {
                    insert.Transaction = t;
                    var idParameter = insert.Parameters["$id"];
                    foreach (var id in (record.SeenPaperIds ?? []).Select(i => i.Id).Distinct(StringComparer.Ordinal))
                    {
                        idParameter.Value = id;
                        insert.ExecuteNonQuery();
                    }
                }

                Execute(
                    c,
                    t,
                    """
                    INSERT INTO digests (day, total_papers, scanned_papers, selected_papers, processed_at, digest_json)
                    VALUES ($day, $total, $scanned, $selected, $at, $json)
                    ON CONFLICT (day) DO UPDATE SET
                        total_papers = excluded.total_papers, scanned_papers = excluded.scanned_papers,
                        selected_papers = excluded.selected_papers, processed_at = excluded.processed_at,
                        digest_json = excluded.digest_json;
                    """,
                    ("$day", day),
                    ("$total", record.TotalPapers),
                    ("$scanned", record.ScannedPapers),
                    ("$selected", record.SelectedPapers),
                    ("$at", record.ProcessedAt.ToString("O", CultureInfo.InvariantCulture)),
                    ("$json", record.DigestJson));
            },
            "record the processed day",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<DigestSummary>> GetHistoryAsync(DateOnly? from = null, DateOnly? until = null, CancellationToken cancellationToken = default)
        => await ReadAsync(
            c =>
            {
                using var command = Command(
                    c,
                    """
                    SELECT day, total_papers, scanned_papers, selected_papers, processed_at FROM digests
                    WHERE ($from IS NULL OR day >= $from) AND ($until IS NULL OR day <= $until)
                    ORDER BY day;
                    """,
                    ("$from", from is { } f ? Day(f) : null),
                    ("$until", until is { } u ? Day(u) : null));
                using var reader = command.ExecuteReader();
                var list = new List<DigestSummary>();
                while (reader.Read())
                {
                    list.Add(new DigestSummary(
                        ParseDay(reader.GetString(0)),
                        reader.GetInt32(1),
                        reader.GetInt32(2),
                        reader.GetInt32(3),
                        DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
                }

                return (IReadOnlyList<DigestSummary>)list;
            },
            "read the history",
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<DigestNavigation> GetNavigationAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await ReadAsync(
            c =>
            {
                string d = Day(day);
                var previous = Scalar(c, "SELECT MAX(day) FROM digests WHERE day < $day;", ("$day", d)) as string;
                var next = Scalar(c, "SELECT MIN(day) FROM digests WHERE day > $day;", ("$day", d)) as string;
                return new DigestNavigation
                {
                    Previous = previous is null ? null : ParseDay(previous),
                    Next = next is null ? null : ParseDay(next),
                };
            },
            "read the history",
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<string?> LoadDigestJsonAsync(DateOnly day, CancellationToken cancellationToken = default)
        => await ReadAsync(c => Scalar(c, "SELECT digest_json FROM digests WHERE day = $day;", ("$day", Day(day))) as string, "read a digest", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<ScoreCacheKey, PaperScore>> GetManyAsync(IReadOnlyCollection<ScoreCacheKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<ScoreCacheKey, PaperScore>();
        }

        return await ReadAsync(
            c =>
            {
                var found = new Dictionary<ScoreCacheKey, PaperScore>();
                foreach (var group in keys.GroupBy(k => (k.CriteriaHash ?? string.Empty, k.ModelId ?? string.Empty)))
                {
                    var byPaper = new Dictionary<string, ScoreCacheKey>(StringComparer.Ordinal);
                    foreach (var key in group)
                    {
                        byPaper.TryAdd(key.PaperId.ToString(), key);
                    }

                    using var command = Command(
                        c,
                        """
                        SELECT paper_id, score_paper_id, relevance, novelty, score, comment, origin, scored_by, extra_json FROM score_cache
                        WHERE criteria_hash = $hash AND model_id = $model AND paper_id IN (SELECT value FROM json_each($ids));
                        """,
                        ("$hash", group.Key.Item1),
                        ("$model", group.Key.Item2),
                        ("$ids", JsonArray(byPaper.Keys)));
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        if (byPaper.TryGetValue(reader.GetString(0), out var key) && ReadScore(reader, key) is { } score)
                        {
                            found[key] = score;
                        }
                    }
                }

                return (IReadOnlyDictionary<ScoreCacheKey, PaperScore>)found;
            },
            "read the score cache",
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask SetManyAsync(IReadOnlyCollection<KeyValuePair<ScoreCacheKey, PaperScore>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        string now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(
            (c, t) =>
            {
                using var insert = Command(
                    c,
                    """
                    INSERT OR REPLACE INTO score_cache
                        (paper_id, criteria_hash, model_id, score_paper_id, relevance, novelty, score, comment, origin, scored_by, created_at, extra_json)
                    VALUES ($id, $hash, $model, $scoreId, $relevance, $novelty, $score, $comment, $origin, $scoredBy, $at, $extra);
                    """,
                    ("$id", null), ("$hash", null), ("$model", null), ("$scoreId", null), ("$relevance", null), ("$novelty", null),
                    ("$score", null), ("$comment", null), ("$origin", null), ("$scoredBy", null), ("$at", now), ("$extra", null));
                insert.Transaction = t;
                foreach (var (key, score) in entries)
                {
                    ArgumentNullException.ThrowIfNull(score, nameof(entries));
                    Set(insert, "$id", key.PaperId.ToString());
                    Set(insert, "$hash", key.CriteriaHash ?? string.Empty);
                    Set(insert, "$model", key.ModelId ?? string.Empty);
                    Set(insert, "$scoreId", score.PaperId.ToString());
                    Set(insert, "$relevance", score.Relevance);
                    Set(insert, "$novelty", score.Novelty);
                    Set(insert, "$score", score.Score is { } s && double.IsFinite(s) ? s : null);
                    Set(insert, "$comment", score.Comment);
                    Set(insert, "$origin", score.Origin.ToName());
                    Set(insert, "$scoredBy", score.ScoredBy);
                    Set(insert, "$extra", score.ExtraProperties is { Count: > 0 } extra
                        ? JsonSerializer.Serialize(new Dictionary<string, JsonElement>(extra), SqliteJsonContext.Default.DictionaryStringJsonElement)
                        : null);
                    insert.ExecuteNonQuery();
                }
            },
            "write the score cache",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the file: clears this store's pooled connections.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initialization.Dispose();
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            string? folder = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DigestStoreException($"The folder of the ArxivRank store '{Path}' cannot be created ({ex.Message}); pass another path.", ex) { Location = Path };
        }

        using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture) ?? string.Empty;
            if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
            {
                Log.StoreNotWal(_logger, Path, mode);
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            var tables = new List<string>();
            using (var list = Command(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';"))
            {
                list.Transaction = transaction;
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            if (!tables.Contains("schema_version", StringComparer.OrdinalIgnoreCase) && tables.Count > 0)
            {
                throw new DigestStoreException(
                    $"'{Path}' is a SQLite database but not an ArxivRank store (it has the tables {string.Join(", ", tables)}); pass another path.")
                { Location = Path };
            }

            Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");
            using (var read = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"))
            {
                read.Transaction = transaction;
                int current = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (current > SchemaMigrations.Latest)
                {
                    throw new DigestStoreException(
                        $"The ArxivRank store '{Path}' has schema v{current}, written by a newer ArxivRank (this one knows up to v{SchemaMigrations.Latest}); upgrade ArxivRank or pass another path.")
                    { Location = Path };
                }

                foreach (var (version, description, sql) in SchemaMigrations.All.Where(m => m.Version > current))
                {
                    Execute(connection, transaction, sql);
                    Execute(connection, transaction, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);", ("$v", version), ("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
                    Log.StoreMigrated(_logger, Path, version, description);
                }
            }

            transaction.Commit();
            Log.StoreOpened(_logger, Path, SchemaMigrations.Latest);
        }
        catch (SqliteException ex)
        {
            throw Wrap(ex, "open");
        }
    }

    private static SqliteConnection OpenEmpty()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);"
            + string.Concat(SchemaMigrations.All.Select(m => m.Sql));
        command.ExecuteNonQuery();
        return connection;
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Wrap(ex, "open");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SqliteConnection connection;
        if (!_initialization.IsDone && !File.Exists(Path))
        {
            // Nothing stored yet: answer from an empty schema in memory, so a run that fails before it has anything to
            // store (arXiv unreachable) leaves no file behind. The first write creates the file.
            connection = OpenEmpty();
        }
        else
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
            connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        }

        using var _ = connection;
        try
        {
            return read(connection);
        }
        catch (SqliteException ex)
        {
            throw Wrap(ex, what);
        }
    }

    private Task WriteAsync(Action<SqliteConnection, SqliteTransaction> write, string what, CancellationToken cancellationToken)
        => WriteAsync<bool>(
            (c, t) =>
            {
                write(c, t);
                return true;
            },
            what,
            cancellationToken);

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, string what, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        using var connection = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // BEGIN IMMEDIATE: take the write lock up front (waiting up to the busy timeout), so two processes never deadlock
            // upgrading read locks. Everything commits together or not at all.
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = write(connection, transaction);
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw Wrap(ex, what);
        }
    }

    private DigestStoreException Wrap(SqliteException ex, string what)
    {
        string advice = ex.SqliteErrorCode switch
        {
            26 => $"'{Path}' is not an ArxivRank store (not a SQLite database); move it away or pass another path.",
            11 => $"The ArxivRank store '{Path}' is damaged; move it away (scores will be paid for again) or restore a copy.",
            5 or 6 => $"The ArxivRank store '{Path}' stayed locked by another process for longer than the busy timeout ({_options.BusyTimeout.TotalSeconds:0} s); try again when the other run has finished.",
            8 => $"The ArxivRank store '{Path}' is read-only; check its permissions or pass another path.",
            13 => $"The disk holding the ArxivRank store '{Path}' is full.",
            14 => $"The ArxivRank store '{Path}' cannot be opened; check that its folder exists and is writable, or pass another path.",
            _ => $"The ArxivRank store '{Path}' failed.",
        };
        return new DigestStoreException($"Could not {what}: {advice} (SQLite error {ex.SqliteErrorCode}: {ex.Message})", ex) { Location = Path };
    }

    private static PaperScore? ReadScore(SqliteDataReader reader, ScoreCacheKey key)
    {
        var scoreId = ArxivId.TryParse(reader.GetString(1), out var parsed) ? parsed : key.PaperId;
        IReadOnlyDictionary<string, JsonElement>? extra = null;
        if (!reader.IsDBNull(8))
        {
            try
            {
                extra = JsonSerializer.Deserialize(reader.GetString(8), SqliteJsonContext.Default.DictionaryStringJsonElement);
            }
            catch (JsonException)
            {
                // A damaged extra column loses only the extras, never the score.
                extra = null;
            }
        }

        return new PaperScore
        {
            PaperId = scoreId,
            Relevance = reader.IsDBNull(2) ? null : reader.GetInt32(2),
            Novelty = reader.IsDBNull(3) ? null : reader.GetInt32(3),
            Score = reader.IsDBNull(4) ? null : reader.GetDouble(4),
            Comment = reader.IsDBNull(5) ? null : reader.GetString(5),
            Origin = ScoreOriginNames.Parse(reader.GetString(6)),
            ScoredBy = reader.IsDBNull(7) ? null : reader.GetString(7),
            ExtraProperties = extra,
        };
    }

    private static string Day(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, DayFormat, CultureInfo.InvariantCulture);

    private static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (string value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static void Set(SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
