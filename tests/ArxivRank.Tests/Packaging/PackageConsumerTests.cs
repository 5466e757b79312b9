using System.Diagnostics;
using System.Text;

namespace ArxivRank.Tests.Packaging;

/// <summary>
/// Proves <c>dotnet add package ArxivRank</c> works: packs ArxivRank and ArxivRank.Abstractions into a temp feed, creates
/// a fresh console project whose nuget.config adds that feed beside nuget.org, restores into a fresh packages folder
/// (so no stale copy is served), adds the package and runs a program that scores two papers with the lexical scorer.
/// Slow (pack + a cold restore from nuget.org): filter it out locally with <c>--filter "Category!=Packaging"</c>.
/// The program is docs/getting-started.md's embedding example (kept in sync by a test below). A second app from the same
/// feed runs the five tasks of docs/walkthrough.md (WalkthroughProgram.cs.txt) and its printed results are asserted, so
/// the new-user walk-through stays green. Then the tool: packs
/// ArxivRank.Cli into the same feed, installs it with <c>dotnet tool install --tool-path</c> and runs
/// <c>arxivrank --version</c>.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageConsumerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("arxivrank-consumer-").FullName;

    [Fact]
    public async Task AddPackage_FreshConsoleProjects_ScoreTwoPapersAndDoTheFiveWalkthroughTasks()
    {
        // Arrange: a unique prerelease version, so no cache anywhere can hold it already.
        string repo = RepositoryRoot();
        var (version, feed, packages) = NewFeed("consumer");
        string artifacts = Path.Combine(_root, "artifacts");
        string app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        foreach (string project in new[] { "src/ArxivRank.Abstractions/ArxivRank.Abstractions.csproj", "src/ArxivRank/ArxivRank.csproj" })
        {
            await RunAsync(repo, null, "pack", project, "-c", "Release", "-o", feed, "--artifacts-path", artifacts,
                $"-p:MinVerVersionOverride={version}", "-p:IncludeSymbols=false");
        }

        string nugetConfig = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """;
        const string ConsoleProject = """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """;
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), nugetConfig);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), ConsoleProject);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ReadConsumerProgram());

        // Act
        await RunAsync(app, packages, "add", "package", "ArxivRank", "--version", version);
        await RunAsync(app, packages, "build", "-c", "Release");
        string output = await RunAsync(app, packages, Path.Combine("bin", "Release", "net10.0", "Consumer.dll"));

        // Assert: both papers scored, the one that matches the example criteria first.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().HaveCount(2, output);
        lines[0].Should().StartWith("2507.00002 ");
        lines[1].Should().StartWith("2507.00001 ");
        Directory.Exists(Path.Combine(packages, "arxivrank", version)).Should().BeTrue("the package must come from the fresh packages folder");

        // The walk-through: one more app from the same feed (its restore is warm), built and run once.
        string walk = Directory.CreateDirectory(Path.Combine(_root, "walkthrough")).FullName;
        await File.WriteAllTextAsync(Path.Combine(walk, "nuget.config"), nugetConfig);
        await File.WriteAllTextAsync(Path.Combine(walk, "Walkthrough.csproj"), ConsoleProject);
        await File.WriteAllTextAsync(Path.Combine(walk, "Program.cs"), ReadPackagingFile("WalkthroughProgram.cs.txt"));
        await RunAsync(walk, packages, "add", "package", "ArxivRank", "--version", version);
        await RunAsync(walk, packages, "build", "-c", "Release");
        AssertWalkthrough(await RunAsync(walk, packages, Path.Combine("bin", "Release", "net10.0", "Walkthrough.dll")));
    }

    [Fact]
    public async Task ToolInstall_PackedCli_InstallsFromTheFeedAndPrintsItsVersion()
    {
        // Arrange: the tool package carries its dependencies, so only the CLI is packed.
        string repo = RepositoryRoot();
        var (version, feed, packages) = NewFeed("tool");
        string tools = Path.Combine(_root, "tools");
        await RunAsync(repo, null, "pack", "samples/ArxivRank.Cli/ArxivRank.Cli.csproj", "-c", "Release", "-o", feed,
            "--artifacts-path", Path.Combine(_root, "artifacts"), $"-p:MinVerVersionOverride={version}", "-p:IncludeSymbols=false");

        // Act
        await RunAsync(_root, packages, "tool", "install", "ArxivRank.Cli", "--tool-path", tools, "--version", version,
            "--add-source", feed);
        string output = await RunToolAsync(Path.Combine(tools, "arxivrank"), "--version");

        // Assert: the installed command is the packed one.
        output.Trim().Should().StartWith(version);
        Directory.Exists(Path.Combine(tools, ".store", "arxivrank.cli", version)).Should().BeTrue("the tool must come from the packed feed");
    }

    [Fact]
    public void GettingStarted_EmbeddingExample_IsTheConsumerProgram()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "getting-started.md"));

        doc.ReplaceLineEndings("\n").Should().Contain(ReadConsumerProgram().ReplaceLineEndings("\n").Trim());
    }

    [Fact]
    public void Extending_FakeChatClient_IsTheWalkthroughOne()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "extending.md")).ReplaceLineEndings("\n");
        string program = ReadPackagingFile("WalkthroughProgram.cs.txt").ReplaceLineEndings("\n");
        int start = program.IndexOf("sealed class KeywordChatClient", StringComparison.Ordinal);
        string fake = program[start..(program.IndexOf("\n}\n", start, StringComparison.Ordinal) + 2)];

        start.Should().BePositive();
        doc.Should().Contain(fake, "docs/extending.md's fake chat client is the one the walk-through app runs");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the OS cleans the temp folder.
        }
    }

    /// <summary>A unique prerelease version, an empty local feed and an empty packages folder.</summary>
    private (string Version, string Feed, string Packages) NewFeed(string label)
        => ($"0.2.0-{label}.{DateTime.UtcNow:yyyyMMddHHmmss}",
            Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName,
            Directory.CreateDirectory(Path.Combine(_root, "packages")).FullName);

    /// <summary>The printed results of the five tasks (docs/walkthrough.md), each against the problem it once had.</summary>
    private static void AssertWalkthrough(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        IEnumerable<string> Values(string key) => lines.Where(l => l.StartsWith(key + ": ", StringComparison.Ordinal)).Select(l => l[(key.Length + 2)..]);

        // 1. The followed author's paper first (criteria rules by default), then relevance 1–10; lookups ignore the version.
        Values("task1.rank").Should().Equal(["2502.00003 AuthorMatch -", "2502.00002 Scored 10", "2502.00004 Scored 5", "2502.00001 Scored 1"], output);
        Values("task1.find").Should().Equal(["10"], output);
        Values("task1.equal").Should().Equal(["False True"], output);

        // 2. A scorer written against the contracts is cached (the forced re-run scores nothing); no silent outcome.
        Values("task2.run1").Should().Equal(["Written selected=2 fromCache=0 scorerPapers=4 warnings=offline-selection"], output);
        Values("task2.run2").Should().Equal(["Written selected=2 fromCache=4 scorerPapers=4 warnings=offline-selection"], output);
        Values("task2.bare").Should().Equal(["NotRendered warnings=announcement-date-guessed,score-cache-off,offline-selection,no-renderer"], output);

        // 3. A custom renderer beside a built-in one; a file name clash is an error naming both renderers.
        Values("task3.outputs").Should().Equal(["2025-02-26.csv,2025-02-26.json"], output);
        Values("task3.csv").Should().Equal(["2502.00003,,\"A note on protein structures\""], output);
        Values("task3.clash").Should().ContainSingle(output).Which.Should().Contain("'csv' (MisnamedCsvRenderer) and 'json'").And.Contain("both wrote '2025-02-26.json'");

        // 4. DI: the LLM scorer over the container's chat client (title screen + one scoring request), then all from the cache.
        Values("task4.first").Should().Equal(["Written requests=2 papers=2502.00003:AuthorMatch,2502.00002:Scored,2502.00004:Scored warnings="], output);
        Values("task4.again").Should().Equal(["Written requests=2 fromCache=3"], output);

        // 5. The parser: two records, the duplicate and the broken line at the answer's own line and column.
        Values("task5.score").Should().Equal(["2502.00001 8/6 extra=", "2502.00002 7/5 extra=confidence"], output);
        Values("task5.diagnostic").Should().HaveCount(2, output);
        Values("task5.diagnostic").First().Should().StartWith("line 10 duplicate-id ");
        Values("task5.diagnostic").Last().Should().StartWith("line 11 invalid-json ").And.Contain("line 11, column 54");
        Values("task5.missing").Should().Equal(["2502.00003v1,2502.00004v1"], output);
    }

    private static string ReadConsumerProgram() => ReadPackagingFile("ConsumerProgram.cs.txt");

    private static string ReadPackagingFile(string name)
        => File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "ArxivRank.Tests", "Packaging", name));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ArxivRank.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ArxivRank.sln not found above " + AppContext.BaseDirectory);
    }

    private static Task<string> RunAsync(string workingDirectory, string? packagesFolder, params string[] args)
        => RunAsync("dotnet", workingDirectory, packagesFolder, args);

    private Task<string> RunToolAsync(string tool, params string[] args) => RunAsync(tool, _root, null, args);

    private static async Task<string> RunAsync(string fileName, string workingDirectory, string? packagesFolder, string[] args)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (packagesFolder is not null)
        {
            start.Environment["NUGET_PACKAGES"] = packagesFolder;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout;
        process.ExitCode.Should().Be(0, $"`{fileName} {string.Join(' ', args)}` failed:\n{output}\n{await stderr}");
        return output;
    }
}
