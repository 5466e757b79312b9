using System.Diagnostics;
using System.Text;

namespace ArxivRank.Tests.Packaging;

/// <summary>
/// Proves <c>dotnet add package ArxivRank</c> works: packs ArxivRank and ArxivRank.Abstractions into a temp feed, creates
/// a fresh console project whose nuget.config adds that feed beside nuget.org, restores into a fresh packages folder
/// (so no stale copy is served), adds the package and runs a program that scores two papers with the lexical scorer.
/// Slow (pack + a cold restore from nuget.org): filter it out locally with <c>--filter "Category!=Packaging"</c>.
/// The program is docs/getting-started.md's embedding example (kept in sync by a test below). Then the tool: packs
/// ArxivRank.Cli into the same feed, installs it with <c>dotnet tool install --tool-path</c> and runs
/// <c>arxivrank --version</c>.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageConsumerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("arxivrank-consumer-").FullName;

    [Fact]
    public async Task AddPackage_FreshConsoleProject_BuildsAndScoresTwoPapers()
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

        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
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

    private static string ReadConsumerProgram()
        => File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "ArxivRank.Tests", "Packaging", "ConsumerProgram.cs.txt"));

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
