using System.Text;
using System.Text.Json;
using ArxivRank.Rendering;
using ArxivRank.Scoring;
using ArxivRank.TestUtilities.Digests;
using NJsonSchema;

namespace ArxivRank.Tests.Rendering;

public sealed class DigestJsonTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFileAsync(RenderingTestHelpers.RepositoryFile("docs/schema/digest.schema.json")).GetAwaiter().GetResult());

    public static TheoryData<string> Digests => new() { "reference-0", "reference-1", "reference-2", "hostile", "synthetic", "full", "empty" };

    private static Digest Named(string name) => name switch
    {
        "reference-0" => TestDigests.FromReference(0),
        "reference-1" => TestDigests.FromReference(1),
        "reference-2" => TestDigests.FromReference(2),
        "hostile" => TestDigests.Hostile(),
        "synthetic" => TestDigests.Synthetic(60),
        "full" => FullyPopulated(),
        _ => new Digest { Date = new DateOnly(2025, 3, 1) },
    };

    [Theory]
    [MemberData(nameof(Digests))]
    public async Task Render_Digest_ValidatesAgainstTheSchema(string name)
    {
        string json = await DigestRenderers.Json().RenderTextAsync(Named(name));

        var errors = Schema.Value.Validate(json);

        errors.Select(e => $"{e.Path}: {e.Kind}").Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Digests))]
    public async Task Render_ThenRead_GivesTheSameDigest(string name)
    {
        // Arrange
        var digest = Named(name);

        // Act
        string json = await DigestRenderers.Json().RenderTextAsync(digest);
        var read = await DigestJson.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        string again = await DigestRenderers.Json().RenderTextAsync(read);

        // Assert
        again.Should().Be(json);
        read.Should().BeEquivalentTo(digest, o => o.ComparingByMembers<Digest>().Excluding(d => d.Papers).Excluding(d => d.Unscored));
        read.Papers.Select(e => (e.Paper.Id, e.Paper.Title, e.Score.Relevance, e.Score.Novelty, e.Score.Origin, e.Score.Comment))
            .Should().Equal(digest.Papers.Select(e => (e.Paper.Id, e.Paper.Title, e.Score.Relevance, e.Score.Novelty, e.Score.Origin, e.Score.Comment)));
        read.Papers.Select(e => e.Paper).Should().BeEquivalentTo(digest.Papers.Select(e => e.Paper), o => o.WithStrictOrdering());
    }

    /// <summary>A digest where every optional member of every type has a value.</summary>
    private static Digest FullyPopulated()
    {
        var id = ArxivId.Parse("2502.12851v2");
        var paper = new Paper
        {
            Id = id,
            Title = "MeMo: Towards Language Models with Associative Memory Mechanisms",
            Authors = ["Fabio Massimo Zanzotto", "Andr\\'e Ba{\\l}azy"],
            Abstract = "Memorization is a fundamental ability with $O(n^2)$ cost.",
            Categories = ["cs.CL", "cs.LG"],
            PrimaryCategory = "cs.CL",
            AnnounceType = AnnounceType.ReplaceCross,
            AnnouncedOn = new DateOnly(2025, 2, 19),
            Published = new DateTimeOffset(2025, 2, 18, 13, 5, 7, TimeSpan.Zero),
            Updated = new DateTimeOffset(2025, 2, 19, 9, 0, 0, TimeSpan.FromHours(-5)),
            Comments = "12 pages, 3 figures",
            JournalReference = "ICLR 2025",
            Doi = "10.48550/arXiv.2502.12851",
            License = "http://creativecommons.org/licenses/by/4.0/",
        };
        var score = new PaperScore
        {
            PaperId = id,
            Relevance = 10,
            Novelty = 9,
            Score = 0.987,
            Comment = "Criterion 2",
            Origin = ScoreOrigin.Scored,
            ScoredBy = "gpt-4o-2024-08-06",
            ExtraProperties = new Dictionary<string, JsonElement> { ["TLDR"] = JsonDocument.Parse("{\"text\":\"memory\",\"n\":[1,2]}").RootElement.Clone() },
        };
        return new Digest
        {
            Date = new DateOnly(2025, 2, 19),
            Papers = [new DigestEntry(paper, score), new DigestEntry(paper with { Id = ArxivId.Parse("math.GT/0309136v1") }, new PaperScore { PaperId = ArxivId.Parse("math/0309136"), Origin = ScoreOrigin.KeywordRule })],
            Totals = new DigestTotals { TotalPapers = 655, ScannedPapers = 402, ScoredPapers = 400, RelevantPapers = 2 },
            Usage = [new ModelUsage { ModelId = "gpt-4o", Requests = 12, InputTokens = 61827, CachedInputTokens = 1024, OutputTokens = 9142, InputCost = 0.154567m, OutputCost = 0.09142m }],
            CriteriaText = "# Criteria\n\n1. Sparse models",
            Categories = ["cs.LG", "cs.AI", "stat.ML"],
            Unscored = [new UnscoredPaper(paper with { Id = ArxivId.Parse("2502.00007") }, "the model did not return this id after 3 attempts")],
            Stages = [new StageStatistics("fetch", 0, 655, TimeSpan.FromMilliseconds(1234.5)), new StageStatistics("score", 402, 400, TimeSpan.FromSeconds(75))],
            Navigation = new DigestNavigation { Previous = new DateOnly(2025, 2, 18), Next = new DateOnly(2025, 2, 20) },
            ScorerName = "gpt-4o",
        };
    }

    [Fact]
    public async Task Render_UnknownCost_WritesNullNeverZero()
    {
        string json = await DigestRenderers.Json().RenderTextAsync(TestDigests.Synthetic(2));

        using var document = JsonDocument.Parse(json);
        var local = document.RootElement.GetProperty("usage")[1];
        local.GetProperty("modelId").GetString().Should().Be("local-llama");
        local.GetProperty("inputCost").ValueKind.Should().Be(JsonValueKind.Null);
        local.GetProperty("totalCost").ValueKind.Should().Be(JsonValueKind.Null);
        document.RootElement.GetProperty("usage")[0].GetProperty("totalCost").GetDecimal().Should().Be(0.072m);
    }

    [Fact]
    public async Task Render_Digest_WritesSchemaVersionDateAndRanks()
    {
        string json = await DigestRenderers.Json().RenderTextAsync(TestDigests.FromReference(1));

        using var document = JsonDocument.Parse(json);
        document.RootElement.GetProperty("schemaVersion").GetInt32().Should().Be(DigestJson.SchemaVersion);
        document.RootElement.GetProperty("date").GetString().Should().Be("2025-02-26");
        document.RootElement.GetProperty("papers").EnumerateArray().Select(p => p.GetProperty("rank").GetInt32()).Should().Equal(Enumerable.Range(1, 37));
        document.RootElement.GetProperty("papers")[0].GetProperty("score").GetProperty("origin").GetString().Should().Be("author-match");
    }

    [Fact]
    public async Task Render_ExtraPropertiesOfAScore_RoundTrip()
    {
        var digest = TestDigests.Hostile();
        var extra = new Dictionary<string, JsonElement> { ["TLDR"] = JsonDocument.Parse("\"short\"").RootElement.Clone() };
        digest = digest with { Papers = [digest.Papers[0] with { Score = digest.Papers[0].Score with { ExtraProperties = extra } }] };

        string json = await DigestRenderers.Json().RenderTextAsync(digest);
        var read = await DigestJson.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        read.Papers[0].Score.ExtraProperties!["TLDR"].GetString().Should().Be("short");
        Schema.Value.Validate(json).Should().BeEmpty();
    }

    [Theory]
    [InlineData("not json", "*not valid JSON*")]
    [InlineData("[1,2]", "*must be a JSON object*")]
    [InlineData("{\"date\":\"2025-02-26\"}", "*no integer 'schemaVersion'*")]
    [InlineData("{\"schemaVersion\":2,\"date\":\"2025-02-26\"}", "*schemaVersion 2*Update ArxivRank*")]
    [InlineData("{\"schemaVersion\":1,\"date\":\"26/02/2025\"}", "*$.date must be a date*")]
    [InlineData("{\"schemaVersion\":1,\"date\":\"2025-02-26\",\"papers\":[{\"rank\":1,\"paper\":{\"id\":\"nonsense\",\"title\":\"x\"},\"score\":{\"paperId\":\"2502.00001\"}}]}", "*$.papers[0].paper is not valid*nonsense*")]
    [InlineData("{\"schemaVersion\":1,\"date\":\"2025-02-26\",\"papers\":[{\"rank\":1}]}", "*$.papers[0].paper is missing*")]
    [InlineData("{\"schemaVersion\":1,\"date\":\"2025-02-26\",\"usage\":[{\"modelId\":\"m\",\"inputCost\":\"free\"}]}", "*$.usage[0].inputCost must be a number or null*")]
    public async Task Read_MalformedInput_ThrowsDigestFormatExceptionSayingWhere(string json, string message)
    {
        var act = () => DigestJson.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        await act.Should().ThrowAsync<DigestFormatException>().WithMessage(message);
    }

    [Fact]
    public async Task Render_WithoutAbstracts_StillValidates()
    {
        string json = await DigestRenderers.Json(new() { IncludeAbstracts = false, IncludeCriteria = false, IncludeUsage = false, Indented = false }).RenderTextAsync(TestDigests.FromReference(1));

        Schema.Value.Validate(json).Should().BeEmpty();
        json.Should().NotContain("\"criteria\"").And.NotContain("Language models usually use left-to-right").And.NotContain("\n");
    }
}
