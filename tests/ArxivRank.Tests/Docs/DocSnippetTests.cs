using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArxivRank.Tests.Docs;

/// <summary>
/// Compiles every fenced <c>```csharp</c> block of README.md, docs/*.md and the package READMEs (src/*/README.md) against the library, so no snippet goes stale.
/// A block fenced <c>```csharp ignore</c> is skipped. Each block is a program of its own (top-level statements, its own
/// usings, the implicit usings of a console app) compiled in-process with Roslyn against the built ArxivRank assemblies
/// and what a consumer gets with them (their dependencies, Microsoft.Extensions.Hosting and .AI) — nothing from the tests.
/// </summary>
public class DocSnippetTests
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly string[] LibraryAssemblies =
    [
        "ArxivRank", "ArxivRank.Abstractions", "ArxivRank.Sqlite", "ArxivRank.PostgreSql", "ArxivRank.OpenAI",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.AI", "Microsoft.Extensions.Logging.Console",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var snippet in FindSnippets())
        {
            data.Add(snippet.File, snippet.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_CompilesAgainstTheLibrary(string file, int line)
    {
        var snippet = FindSnippets().Single(s => s.File == file && s.Line == line);
        var tree = CSharpSyntaxTree.ParseText(snippet.Code, ParseOptions, path: $"{file}:{line}", encoding: Encoding.UTF8);
        bool hasStatements = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [tree, CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions)],
            References.Value,
            new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        errors.Should().BeEmpty(
            "the ```csharp block at {0}:{1} must compile against the library (fence it ```csharp ignore if it is deliberately partial):\n{2}\n--- the block ---\n{3}",
            file,
            line,
            string.Join('\n', errors.Select(e => $"  line {e.Location.GetLineSpan().StartLinePosition.Line + 1}: {e.Id} {e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")),
            snippet.Code);
    }

    [Fact]
    public void FindSnippets_FindsTheDocumentedExamples_AndSkipsIgnoredOnes()
    {
        var snippets = FindSnippets();

        snippets.Should().Contain(s => s.File == "README.md", "README's library example is compiled too");
        snippets.Should().Contain(s => s.File == "docs/extending.md");
        snippets.Should().Contain(s => s.File == "src/ArxivRank/README.md", "the package pages' examples are compiled too");
        snippets.Should().HaveCountGreaterThan(10);
        snippets.Should().NotContain(s => s.Code.Contains("```", StringComparison.Ordinal), "a block ends at its closing fence");
    }

    [Fact]
    public void Compile_AStaleSnippet_Fails()
    {
        // The check itself can fail: a call to a method the library does not have is an error.
        var tree = CSharpSyntaxTree.ParseText("using ArxivRank.Scoring;\nvar s = PaperScorers.CreateLexicalScorer(ScoringCriteria.Example);", ParseOptions);
        var compilation = CSharpCompilation.Create("Stale", [tree, CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions)], References.Value, new CSharpCompilationOptions(OutputKind.ConsoleApplication));

        compilation.GetDiagnostics().Should().Contain(d => d.Id == "CS0117");
    }

    private sealed record Snippet(string File, int Line, string Code);

    private static List<Snippet> FindSnippets()
    {
        string root = RepositoryRoot();
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetDirectories(Path.Combine(root, "src")).Select(dir => Path.Combine(dir, "README.md")).Where(File.Exists).Order(StringComparer.Ordinal));
        var snippets = new List<Snippet>();
        foreach (string path in files)
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                string fence = lines[i].Trim();
                if (!fence.StartsWith("```", StringComparison.Ordinal))
                {
                    continue;
                }

                string info = fence[3..].Trim();
                int start = i + 1;
                int end = start;
                while (end < lines.Length && lines[end].Trim() != "```")
                {
                    end++;
                }

                if (info == "csharp" || info == "cs" || info == "c#")
                {
                    snippets.Add(new Snippet(relative, start, string.Join('\n', lines[start..Math.Min(end, lines.Length)])));
                }

                i = end;
            }
        }

        return snippets;
    }

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

    /// <summary>The framework, plus the library assemblies and everything they reference that sits beside the tests.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        string bin = AppContext.BaseDirectory;
        var chosen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(LibraryAssemblies);
        while (pending.TryDequeue(out string? name))
        {
            string path = Path.Combine(bin, name + ".dll");
            if (chosen.ContainsKey(name) || !File.Exists(path))
            {
                continue;
            }

            chosen[name] = path;
            foreach (string referenced in ReferencedAssemblies(path))
            {
                pending.Enqueue(referenced);
            }
        }

        foreach (string library in LibraryAssemblies.Take(4))
        {
            chosen.Should().ContainKey(library, "the library's assemblies are built beside the tests");
        }

        return [.. framework.Values.Concat(chosen.Where(c => !framework.ContainsKey(c.Key)).Select(c => c.Value)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static IEnumerable<string> ReferencedAssemblies(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return [.. reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))];
    }
}
