using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;

namespace ArxivRank.Tests.EndToEnd;

/// <summary>
/// A test class that runs digests against the loopback arXiv double and chat-completions server, in a temp folder with a
/// <c>fast.json</c> profile of transport settings for loopback (no sleeps). Everything is started before each test and
/// stopped (the folder deleted) after it.
/// </summary>
public abstract class LoopbackRunTest : IAsyncLifetime
{
    /// <summary>Initializes a new instance of the <see cref="LoopbackRunTest"/> class.</summary>
    /// <param name="prefix">The temp folder's name prefix.</param>
    protected LoopbackRunTest(string prefix) => Root = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Gets the test's temp folder.</summary>
    protected string Root { get; }

    /// <summary>Gets the loopback arXiv.</summary>
    protected ArxivDouble Arxiv { get; private set; } = null!;

    /// <summary>Gets the loopback chat-completions server.</summary>
    protected ChatCompletionsServer Chat { get; private set; } = null!;

    /// <summary>Gets the path of the loopback transport profile (<c>--config</c>).</summary>
    protected string ConfigPath => Path.Combine(Root, "fast.json");

    /// <summary>Gets the environment for a CLI run: a test API key.</summary>
    protected static Dictionary<string, string?> Env => new() { ["OPENAI_API_KEY"] = "sk-test-secret-key" };

    /// <summary>Gets the arXiv request timeout written to <see cref="ConfigPath"/>.</summary>
    protected virtual int ArxivTimeoutMs => 1500;

    /// <summary>Gets the model retries written to <see cref="ConfigPath"/>.</summary>
    protected virtual int LlmRetries => 3;

    /// <summary>Gets the model request timeout written to <see cref="ConfigPath"/>, or <see langword="null"/> for the default.</summary>
    protected virtual int? LlmTimeoutMs => null;

    /// <inheritdoc/>
    public virtual async Task InitializeAsync()
    {
        string llmTimeout = LlmTimeoutMs is { } ms ? $", \"timeoutMs\": {ms}" : string.Empty;
        await File.WriteAllTextAsync(ConfigPath, $$"""
            {
              "arxiv": { "requestIntervalMs": 0, "retries": 2, "retryDelayMs": 10, "timeoutMs": {{ArxivTimeoutMs}} },
              "llm": { "retries": {{LlmRetries}}, "retryDelayMs": 10{{llmTimeout}} },
              "categories": ["cs.LG"]
            }
            """);
        Arxiv = await ArxivDouble.StartAsync();
        Chat = await ChatCompletionsServer.StartAsync();
    }

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        await Chat.DisposeAsync();
        await Arxiv.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is cleaned by the OS with the temp folder.
        }
    }
}
