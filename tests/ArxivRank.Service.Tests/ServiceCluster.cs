using ArxivRank.Pipeline;
using ArxivRank.PostgreSql;
using ArxivRank.Profiles;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.Service;
using ArxivRank.Sources;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;
using ArxivRank.TestUtilities.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace ArxivRank.Service.Tests;

/// <summary>Everything a cluster test needs: loopback arXiv and chat servers, a fresh PostgreSQL database, and the settings a node reads.</summary>
internal sealed class ServiceWorld : IAsyncDisposable
{
    public const string ApiKeyVariable = "ARXIVRANK_SERVICE_TEST_KEY";

    public static readonly string[] Criteria =
    [
        "## Topics\n- graph neural networks\n- message passing\n",
        "## Topics\n- large language models\n- instruction tuning\n",
        "## Topics\n- reinforcement learning\n- policy optimization\n",
        "## Topics\n- diffusion models\n- image generation\n",
    ];

    private ServiceWorld(ArxivDouble arxiv, ChatCompletionsServer chat, PostgreSqlTestDatabase database)
    {
        Arxiv = arxiv;
        Chat = chat;
        Database = database;
        Store = new PostgreSqlArxivRankDatabase(database.ConnectionString);
    }

    public ArxivDouble Arxiv { get; }

    public ChatCompletionsServer Chat { get; }

    public PostgreSqlTestDatabase Database { get; }

    public PostgreSqlArxivRankDatabase Store { get; }

    public static async Task<ServiceWorld> StartAsync(TimeSpan? modelDelay = null)
    {
        Environment.SetEnvironmentVariable(ApiKeyVariable, "test-key");
        var arxiv = await ArxivDouble.StartAsync();
        var chat = await ChatCompletionsServer.StartAsync(request => ChatCompletionsServer.DefaultReply(request) with { Delay = modelDelay ?? TimeSpan.Zero });
        var database = await PostgreSqlTestDatabase.CreateAsync();
        return new ServiceWorld(arxiv, chat, database);
    }

    /// <summary>The settings of a node, as configuration keys (environment variables with <c>__</c> for <c>:</c>).</summary>
    public Dictionary<string, string> Settings(string scorer) => new()
    {
        ["ConnectionStrings:ArxivRank"] = Database.ConnectionString,
        ["ArxivRank:BaseUrl"] = Arxiv.BaseUrl.ToString(),
        ["ArxivRank:Arxiv:RequestIntervalMs"] = "100",
        ["ArxivRank:LlmBaseUrl"] = Chat.BaseUri.ToString(),
        ["ArxivRank:Model"] = "gpt-4o-mini",
        ["ArxivRank:ApiKeyEnv"] = ApiKeyVariable,
        ["ArxivRank:Scorer"] = scorer,
        ["ArxivRank:Categories:0"] = "cs.LG",
        ["Service:ReaderLease"] = "00:00:03",
        ["Service:DriverInterval"] = "00:00:01",
    };

    /// <summary>Registers readers in the store, cycling through <paramref name="distinctCriteria"/> criteria.</summary>
    public async Task<List<(string Id, string Criteria)>> AddReadersAsync(int count, int distinctCriteria)
    {
        var readers = Readers(count, distinctCriteria);
        foreach (var (id, criteria) in readers)
        {
            await Store.PutReaderProfileAsync(id, ProfileJson(criteria));
        }

        return readers;
    }

    /// <summary>Reader ids and criteria, cycling through <paramref name="distinctCriteria"/> criteria.</summary>
    public static List<(string Id, string Criteria)> Readers(int count, int distinctCriteria)
        => [.. Enumerable.Range(0, count).Select(i => ($"reader-{i:00}", Criteria[i % distinctCriteria]))];

    /// <summary>A reader's profile JSON, as a PUT /readers/{id} body.</summary>
    public static string ProfileJson(string criteria, string? scorer = null)
    {
        var profile = new Dictionary<string, object> { ["criteriaText"] = criteria, ["categories"] = new[] { "cs.LG" } };
        if (scorer is not null)
        {
            profile["scorer"] = scorer;
        }

        return System.Text.Json.JsonSerializer.Serialize(profile);
    }

    /// <summary>
    /// The single-reader digest's selection for the same day: the CLI digest's path (a profile, <see cref="ReaderPipelineFactory"/>,
    /// the real RSS source against the loopback arXiv) with its own in-memory store and no shared cache.
    /// </summary>
    public async Task<(IReadOnlyList<string> Ids, int ModelCalls)> ReferenceSelectionAsync(string criteria, string scorer)
    {
        int before = Chat.RequestCount;
        var profile = new ReaderProfile
        {
            Categories = ["cs.LG"],
            CriteriaText = criteria,
            Scorer = scorer,
            BaseUrl = Arxiv.BaseUrl.ToString(),
            Arxiv = new ReaderArxivOptions { RequestIntervalMs = 100 },
            LlmBaseUrl = Chat.BaseUri.ToString(),
            Model = "gpt-4o-mini",
            ApiKeyEnv = ApiKeyVariable,
            Formats = ["json"],
        };
        using var chat = scorer == "llm" ? ArxivRank.OpenAI.ReaderProfileChatClient.Create(profile) : null;
        using var reader = await ReaderPipelineFactory.CreateAsync(profile, new ReaderPipelineServices { ChatClient = chat });
        var result = await reader.RunAsync(new MemoryDigestOutput());
        return ([.. result.Run.Digest!.Papers.Select(p => p.Paper.Id.ToString())], Chat.RequestCount - before);
    }

    /// <summary>The ids a reader's stored digest selected, or null when it has none.</summary>
    public async Task<IReadOnlyList<string>?> SelectedIdsAsync(string readerId, DateOnly day)
        => (await Store.ForReader(readerId).LoadDigestAsync(day))?.Papers.Select(p => p.Paper.Id.ToString()).ToList();

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Arxiv.DisposeAsync();
        await Chat.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Configures each TestingHost silo as a service node (in-memory clustering and reminders; the rest as in production).</summary>
public sealed class NodeConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        siloBuilder.UseInMemoryReminderService();
        siloBuilder.Services.AddArxivRankNode(siloBuilder.Configuration);
        siloBuilder.ConfigureArxivRankSilo(siloBuilder.Configuration);
    }
}
