namespace ArxivRank.PostgreSql;

/// <summary>Where the PostgreSQL store lives and which reader a store instance serves.</summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The reader a host serves when it names none (the CLI's single reader).</summary>
    public const string DefaultReaderId = "default";

    /// <summary>Gets or sets the Npgsql connection string, e.g. <c>Host=db;Database=arxivrank;Username=arxivrank;Password=…</c>.</summary>
    /// <value>Required. In a host, <c>ConnectionStrings:ArxivRank</c>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the reader whose history, labels and model the registered store reads and writes.</summary>
    /// <value><see cref="DefaultReaderId"/> by default.</value>
    public string ReaderId { get; set; } = DefaultReaderId;

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public PostgreSqlStoreOptions Clone() => (PostgreSqlStoreOptions)MemberwiseClone();

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{nameof(PostgreSqlStoreOptions)}.{nameof(ConnectionString)} is required (in a host: ConnectionStrings:ArxivRank).";
        }
        else
        {
            string? problem = null;
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (ArgumentException ex)
            {
                problem = $"{nameof(PostgreSqlStoreOptions)}.{nameof(ConnectionString)} is not a valid Npgsql connection string: {ex.Message}";
            }

            if (problem is not null)
            {
                yield return problem;
            }
        }

        if (ReaderIds.Problem(ReaderId) is { } readerProblem)
        {
            yield return $"{nameof(PostgreSqlStoreOptions)}.{nameof(ReaderId)} {readerProblem}";
        }
    }
}

/// <summary>The rule for reader ids: what a URL segment and a database key can both hold.</summary>
public static class ReaderIds
{
    /// <summary>The longest reader id.</summary>
    public const int MaxLength = 128;

    /// <summary>Determines whether a reader id is valid: 1–128 ASCII letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, not starting with <c>.</c>.</summary>
    /// <param name="readerId">The id.</param>
    /// <returns><see langword="true"/> when it is valid.</returns>
    public static bool IsValid(string? readerId) => Problem(readerId) is null;

    internal static string? Problem(string? readerId)
    {
        if (string.IsNullOrEmpty(readerId))
        {
            return "must not be empty.";
        }

        if (readerId.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters (was {readerId.Length}).";
        }

        if (readerId[0] == '.' || !readerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return $"may hold only ASCII letters, digits, '.', '_' and '-', and must not start with '.' (was '{readerId}').";
        }

        return null;
    }
}
