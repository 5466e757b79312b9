using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ArxivRank.TestUtilities.Mail;

/// <summary>
/// A real SMTP server on 127.0.0.1: Debian's <c>python3-aiosmtpd</c>, run with the interpreter that imports it
/// (<c>python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox DIR</c>), delivering into a Maildir the test
/// reads. The first <c>python3</c> on PATH may be another one without the module (pyenv), so every candidate is tried.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpTestServer(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    /// <summary>Gets the interpreter that imports <c>aiosmtpd</c>, or <see langword="null"/> when none does.</summary>
    public static string? Python { get; } = FindPython();

    /// <summary>Gets why the server cannot run here, or <see langword="null"/> when it can.</summary>
    public static string? Unavailable => Python is null
        ? "No python3 on this machine imports aiosmtpd: install Debian's package (apt-get install python3-aiosmtpd; .ci/run does) to run the SMTP tests."
        : null;

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Gets the Maildir the server delivers into.</summary>
    public string Maildir { get; }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it and remove its Maildir.</returns>
    /// <exception cref="InvalidOperationException">aiosmtpd is not installed, or the server did not start.</exception>
    public static Task<SmtpTestServer> StartAsync(CancellationToken cancellationToken = default)
        => StartAsync(port => ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox"], cancellationToken);

    /// <summary>
    /// Starts a server that requires SMTP AUTH (PLAIN or LOGIN) with one user name and password before it takes mail.
    /// aiosmtpd's command line has no AUTH option, so its documented <c>Controller</c> API is run with
    /// <c>authenticator</c>, <c>auth_required=True</c> and <c>auth_require_tls=False</c> (loopback only).
    /// </summary>
    /// <param name="userName">The user name the server accepts.</param>
    /// <param name="password">The password the server accepts.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it and remove its Maildir.</returns>
    /// <exception cref="InvalidOperationException">aiosmtpd is not installed, or the server did not start.</exception>
    public static Task<SmtpTestServer> StartWithAuthAsync(string userName, string password, CancellationToken cancellationToken = default)
        => StartAsync(port => ["-c", AuthServerScript, port.ToString(System.Globalization.CultureInfo.InvariantCulture), userName, password], cancellationToken);

    private const string AuthServerScript = """
        import sys, time
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Mailbox
        from aiosmtpd.smtp import AuthResult, LoginPassword
        port, user, password, maildir = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode(), sys.argv[4]
        def authenticate(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login == user and data.password == password
            return AuthResult(success=ok, handled=False)
        Controller(Mailbox(maildir), hostname="127.0.0.1", port=port, authenticator=authenticate,
                   auth_required=True, auth_require_tls=False).start()
        while True:
            time.sleep(3600)
        """;

    private static async Task<SmtpTestServer> StartAsync(Func<int, string[]> arguments, CancellationToken cancellationToken)
    {
        string python = Python ?? throw new InvalidOperationException(Unavailable);
        string maildir = Path.Combine(Path.GetTempPath(), "arxivrank-smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(maildir)!);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int port = FreePort();
            var info = new ProcessStartInfo(python)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string arg in (string[])[.. arguments(port), maildir])
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            if (await WaitForPortAsync(port, process, cancellationToken))
            {
                return new SmtpTestServer(process, port, maildir);
            }

            Stop(process);
        }

        throw new InvalidOperationException($"aiosmtpd ({python}) did not start listening on a loopback port.");
    }

    /// <summary>Reads every message delivered so far (raw RFC 5322 bytes), oldest first.</summary>
    /// <returns>The messages.</returns>
    public IReadOnlyList<byte[]> Messages()
    {
        var files = new List<FileInfo>();
        foreach (string sub in (string[])["new", "cur"])
        {
            string folder = Path.Combine(Maildir, sub);
            if (Directory.Exists(folder))
            {
                files.AddRange(new DirectoryInfo(folder).GetFiles());
            }
        }

        return [.. files.OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => File.ReadAllBytes(f.FullName))];
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Stop(_process);
        try
        {
            if (Directory.Exists(Maildir))
            {
                Directory.Delete(Maildir, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static async Task<bool> WaitForPortAsync(int port, Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        return false;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindPython()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "python3"))
            .Append("/usr/bin/python3")
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal);
        foreach (string candidate in candidates)
        {
            try
            {
                var info = new ProcessStartInfo(candidate) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add("import aiosmtpd");
                using var process = Process.Start(info);
                if (process is not null && process.WaitForExit(15000) && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not runnable; try the next one.
            }
        }

        return null;
    }
}
