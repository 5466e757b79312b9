using System.Globalization;
using System.Text.Json;
using ArxivRank.Profiles;
using ArxivRank.Ranking;
using ArxivRank.Service;
using ArxivRank.TestUtilities;
using ArxivRank.TestUtilities.Arxiv;
using ArxivRank.TestUtilities.Chat;
using Microsoft.Extensions.Configuration;

namespace ArxivRank.Cluster.Benchmarks;

/// <summary>
/// What a measurement runs against: the loopback arXiv serving a real labeled day, the loopback chat server with a fixed
/// latency, a trained model file for the learned scorer, and the readers (ids, criteria, profile JSON as a PUT body).
/// </summary>
internal sealed class BenchWorld : IAsyncDisposable
{
    public const string ApiKeyVariable = "ARXIVRANK_CLUSTER_BENCH_KEY";
    public const string Model = "gpt-4o-mini";
    public static readonly string[] Categories = ["cs.AI", "cs.LG"];

    /// <summary>Ten research groups' criteria, as a lab's readers write them; more than ten add a group line to these.</summary>
    private static readonly string[] BaseCriteria =
    [
        "## Topics\n1. Graph neural networks\n   - Relevant: message passing, graph transformers, over-smoothing, expressivity.\n\n## Relevant keywords\ngraph neural network, GNN, node classification, link prediction\n",
        "## Topics\n1. Large language models\n   - Relevant: instruction tuning, alignment, in-context learning, reasoning.\n\n## Relevant keywords\nlanguage model, LLM, fine-tuning, RLHF, chain-of-thought\n",
        "## Topics\n1. Reinforcement learning\n   - Relevant: policy optimization, offline RL, exploration, reward models.\n\n## Relevant keywords\nreinforcement learning, policy gradient, Q-learning, multi-agent\n",
        "## Topics\n1. Diffusion and generative models\n   - Relevant: score matching, flow matching, image and video generation.\n\n## Relevant keywords\ndiffusion model, denoising, generative model, flow matching\n",
        "## Topics\n1. Efficient inference\n   - Relevant: quantization, pruning, sparsity, KV-cache compression, distillation.\n\n## Relevant keywords\nquantization, pruning, mixture of experts, efficient inference\n",
        "## Topics\n1. Interpretability\n   - Relevant: mechanistic interpretability, probing, attribution, sparse autoencoders.\n\n## Relevant keywords\ninterpretability, explainability, sparse autoencoder, attribution\n",
        "## Topics\n1. Federated and private learning\n   - Relevant: federated optimization, differential privacy, secure aggregation.\n\n## Relevant keywords\nfederated learning, differential privacy, privacy\n",
        "## Topics\n1. Time series\n   - Relevant: forecasting, anomaly detection, state-space models.\n\n## Relevant keywords\ntime series, forecasting, anomaly detection, temporal\n",
        "## Topics\n1. Robustness and safety\n   - Relevant: adversarial examples, distribution shift, jailbreaks, uncertainty.\n\n## Relevant keywords\nadversarial, robustness, out-of-distribution, uncertainty, safety\n",
        "## Topics\n1. Causal inference and optimization theory\n   - Relevant: causal discovery, identifiability, convergence rates, generalization bounds.\n\n## Relevant keywords\ncausal, convergence, generalization bound, optimization\n",
    ];

    private BenchWorld(BenchmarkOptions options, ArxivDouble arxiv, ChatCompletionsServer chat, string? rankerPath, int papers)
    {
        Options = options;
        Arxiv = arxiv;
        Chat = chat;
        RankerPath = rankerPath;
        Papers = papers;
    }

    public BenchmarkOptions Options { get; }

    public ArxivDouble Arxiv { get; }

    public ChatCompletionsServer Chat { get; }

    /// <summary>Gets the model file every learned reader shares (the node's default <c>ArxivRank:Ranker</c>), or null.</summary>
    public string? RankerPath { get; }

    /// <summary>Gets the papers of the served day.</summary>
    public int Papers { get; }

    /// <summary>Gets how many labeled papers trained the shared model.</summary>
    public int TrainingPapers { get; private init; }

    public static async Task<BenchWorld> StartAsync(BenchmarkOptions options)
    {
        Environment.SetEnvironmentVariable(ApiKeyVariable, "bench-key");
        var papers = LabeledDays.Load(options.Day).Select(p => p.Paper).ToList();
        var arxiv = await ArxivDouble.StartAsync();
        arxiv.Catalog = papers;
        arxiv.AnnouncementDate = options.Day;
        var chat = await ChatCompletionsServer.StartAsync(request => ChatCompletionsServer.DefaultReply(request) with { Delay = options.ModelDelay });
        chat.RecordRequests = false; // the prompts would count as the node's memory (only RequestCount is used)

        string? rankerPath = null;
        int trainingPapers = 0;
        if (options.Scorer == "learned")
        {
            // One model for every reader, trained on the labeled days before the measured one (docs/learned-ranker.md).
            var examples = LabeledDays.Days.Where(d => d < options.Day).SelectMany(LabeledDays.Load).Select(p => new LabeledExample(p.Paper, p.Selected)).ToList();
            var ranker = LearnedRanker.Train(examples);
            rankerPath = Path.Combine(Path.GetTempPath(), $"arxivrank-cluster-bench-{Guid.NewGuid():N}.json");
            await using var file = File.Create(rankerPath);
            await ranker.SaveAsync(file);
            trainingPapers = examples.Count;
        }

        return new BenchWorld(options, arxiv, chat, rankerPath, papers.Count) { TrainingPapers = trainingPapers };
    }

    /// <summary>Gets criteria number <paramref name="index"/>.</summary>
    public static string CriteriaText(int index)
        => index < BaseCriteria.Length ? BaseCriteria[index] : $"Research group {index / BaseCriteria.Length}.\n\n" + BaseCriteria[index % BaseCriteria.Length];

    /// <summary>Gets reader <paramref name="index"/>'s id and profile JSON (a PUT /readers/{id} body).</summary>
    public (string Id, int Criteria, string Json) Reader(int index, string? criteriaText = null)
    {
        int criteria = index % Options.Criteria;
        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["criteriaText"] = criteriaText ?? CriteriaText(criteria),
            ["categories"] = Categories,
            ["scorer"] = Options.Scorer,
        });
        return ($"reader-{index.ToString("0000", CultureInfo.InvariantCulture)}", criteria, json);
    }

    /// <summary>The node's settings (section <c>ArxivRank</c> is the default profile every reader's own overrides).</summary>
    public Dictionary<string, string?> NodeSettings(string postgres) => new()
    {
        ["ConnectionStrings:ArxivRank"] = postgres,
        ["ArxivRank:BaseUrl"] = Arxiv.BaseUrl.ToString(),
        ["ArxivRank:Arxiv:RequestIntervalMs"] = "100",
        ["ArxivRank:LlmBaseUrl"] = Chat.BaseUri.ToString(),
        ["ArxivRank:Model"] = Model,
        ["ArxivRank:ApiKeyEnv"] = ApiKeyVariable,
        ["ArxivRank:Ranker"] = RankerPath,
        ["Service:MaxConcurrentRuns"] = Options.Concurrency.ToString(CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>A reader's profile as a node merges it: the node's defaults, overridden by the reader's own profile.</summary>
    public ReaderProfile MergedProfile(string json)
    {
        var defaults = ReaderProfile.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(NodeSettings("unused")).Build().GetSection(ReaderProfile.SectionName));
        return defaults.With(ServiceProfiles.ParseForPut(json).Profile ?? throw new InvalidOperationException("The benchmark's reader profile is invalid."));
    }

    public async ValueTask DisposeAsync()
    {
        await Arxiv.DisposeAsync();
        await Chat.DisposeAsync();
        if (RankerPath is not null)
        {
            File.Delete(RankerPath);
        }
    }
}
