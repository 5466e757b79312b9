using System.Buffers.Binary;
using System.Globalization;

namespace ArxivRank.Sources.Http;

/// <summary>
/// The politeness gate shared by every process of this user on this machine: a small lock file per arXiv host (in the
/// local application data folder) holding the start of the latest request. A caller locks the file, reserves the next
/// slot (at least its interval after the latest start), unlocks, and waits for its slot. So two cron jobs, the Host and
/// an <c>arxivrank fetch</c> together keep arXiv's 3 seconds.
/// </summary>
/// <remarks>
/// The lock is the file opened with <see cref="FileShare.None"/> (an exclusive <c>flock</c> on Unix, a share lock on
/// Windows), held only for the read-modify-write. A file that cannot be used (no folder, no permission) disables the
/// shared gate with a warning, never the request: the in-process gate still applies.
/// </remarks>
internal sealed class PacingLockFile(string path, TimeProvider timeProvider)
{
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(15);
    private static readonly TimeSpan LockGiveUp = TimeSpan.FromSeconds(30);

    /// <summary>Gets the lock file's path.</summary>
    public string Path { get; } = path;

    /// <summary>Gets the default folder of the lock files: <c>arxivrank/pacing</c> in the user's local data folder, or <see langword="null"/> when the user has none.</summary>
    public static string? DefaultDirectory
    {
        get
        {
            string folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(folder) ? null : System.IO.Path.Combine(folder, "arxivrank", "pacing");
        }
    }

    /// <summary>
    /// Gets the lock file of a host: one for arXiv's own hosts together, one per host and port of a replacement
    /// (<see cref="ArxivSourceOptions.BaseUrl"/>), so a mirror or a test server never slows arXiv's clients down.
    /// </summary>
    public static PacingLockFile? For(Uri? baseUrl, string? directory, TimeProvider timeProvider)
    {
        directory ??= DefaultDirectory;
        if (directory is null)
        {
            return null;
        }

        string name = baseUrl is null ? "arxiv.org.lock" : string.Create(CultureInfo.InvariantCulture, $"{baseUrl.Host}_{baseUrl.Port}.lock");
        foreach (char bad in System.IO.Path.GetInvalidFileNameChars())
        {
            name = name.Replace(bad, '_');
        }

        return new PacingLockFile(System.IO.Path.Combine(directory, name), timeProvider);
    }

    /// <summary>Waits for this process's turn across processes.</summary>
    /// <returns>How long the caller waited.</returns>
    /// <exception cref="IOException">The lock file could not be used.</exception>
    /// <exception cref="UnauthorizedAccessException">The lock file could not be used.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async ValueTask<TimeSpan> WaitAsync(TimeSpan minInterval, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        DateTimeOffset now, slot;
        var stream = await OpenLockedAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[8];
            int read = stream.Read(buffer, 0, 8);
            now = timeProvider.GetUtcNow();
            long lastTicks = read == 8 ? BinaryPrimitives.ReadInt64LittleEndian(buffer) : 0;
            var last = lastTicks > 0 && lastTicks < DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset(lastTicks, TimeSpan.Zero) : (DateTimeOffset?)null;

            // Slots already reserved by waiting processes may lie several intervals ahead; one beyond any plausible queue
            // (a clock set back, a damaged file) is not honored.
            var next = last is { } l ? l + minInterval : now;
            slot = next <= now ? now : next - now > MaxQueue(minInterval) ? now + minInterval : next;
            BinaryPrimitives.WriteInt64LittleEndian(buffer, slot.UtcTicks);
            stream.Position = 0;
            stream.Write(buffer, 0, 8);
            stream.Flush();
        }

        var wait = slot - now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return wait;
    }

    private static TimeSpan MaxQueue(TimeSpan interval) => interval * 64 > TimeSpan.FromMinutes(10) ? interval * 64 : TimeSpan.FromMinutes(10);

    private async Task<FileStream> OpenLockedAsync(CancellationToken cancellationToken)
    {
        long started = timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (timeProvider.GetElapsedTime(started) < LockGiveUp)
            {
                // Another process holds the lock for its read-modify-write (microseconds): try again shortly.
                await Task.Delay(LockRetry, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
