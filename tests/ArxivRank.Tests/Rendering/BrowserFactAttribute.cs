namespace ArxivRank.Tests.Rendering;

/// <summary>
/// A fact that needs headless Chromium (Debian's <c>chromium</c> package, which .ci/run installs). xunit 2 has no dynamic
/// skip, so when no <c>chromium</c> is on PATH the attribute sets <see cref="FactAttribute.Skip"/> with the reason.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.ExecutablePath is null)
        {
            Skip = "Chromium not found on PATH: install Debian's 'chromium' package (apt-get install chromium) to run the browser tests.";
        }
    }
}

/// <summary>Finds the system Chromium; Playwright is never allowed to download a browser.</summary>
internal static class Chromium
{
    public static string? ExecutablePath { get; } = Find();

    public static readonly string[] Arguments = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"];

    private static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in (string[])["chromium", "chromium-browser"])
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
