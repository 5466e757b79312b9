using System.Globalization;
using Npgsql;

namespace ArxivRank.Cluster.Benchmarks;

/// <summary>
/// What the PostgreSQL server spends on one database. CPU time of the PostgreSQL server processes that serve one database (a backend's title names its database, e.g.
/// <c>postgres: postgres arxivrank_test_… 127.0.0.1(5123) idle</c>), read from /proc; zero where there is no /proc or
/// the server runs elsewhere. Pooled connections live through a run, so the difference of two readings is the run's.
/// </summary>
internal static class PostgresCpu
{
    public static TimeSpan Of(string database)
    {
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                string title = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!title.StartsWith("postgres:", StringComparison.Ordinal) || !title.Contains(" " + database + " ", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the command name in parentheses: utime and stime are the 14th and 15th of the line.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended, or is not readable.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>
    /// Transactions committed or rolled back in a database so far (<c>pg_stat_database</c>). A backend reports its counts
    /// when it goes idle, at most once a second and at the latest 10 s later, so this waits 11 s first.
    /// </summary>
    public static async Task<long> TransactionsAsync(string connectionString, string database)
    {
        await Task.Delay(TimeSpan.FromSeconds(11));
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = @name;", connection);
        command.Parameters.AddWithValue("name", database);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        return await reader.ReadAsync() ? reader.GetInt64(0) : 0;
    }
}
