using ArxivRank.Scoring;
using ArxivRank.TestUtilities;

namespace ArxivRank.Tests.Scoring;

public class ScoringCriteriaTests
{
    private static readonly string[] ReferenceTopicNames =
    [
        "Representation Learning", "Model Architecture", "Model Compression", "Large Language Models (LLMs)", "AI for Science", "Emerging Trends",
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Parse_ReferenceDigestPrompts_ReadsTheSixTopicsWithTheirNotes(int digest)
    {
        var criteria = ScoringCriteria.Parse(ReferenceDigest.Load(digest).Prompt);

        criteria.Topics.Select(t => t.Name).Should().Equal(ReferenceTopicNames);
        criteria.Topics.Should().OnlyContain(t => t.Relevant != null && t.Irrelevant != null);
        criteria.Topics[2].Relevant.Should().StartWith("Sparsity, pruning, quantization, low-rank approaches, KV cache");
        criteria.Topics[2].Irrelevant.Should().Be("Straightforward applications of existing compression methods to new tasks.");
        criteria.Introduction.Should().Contain("paper reading assistant").And.Contain("foundational research");
        criteria.Notes.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Parse_BothKeywordLayouts_ReadTheSameLists(int digest)
    {
        var criteria = ScoringCriteria.Parse(ReferenceDigest.Load(digest).Prompt);

        criteria.RelevantKeywords.Should().Equal("Mixture of Experts (MoE)", "Representation Learning", "Compression/Efficiency", "Sparse/Sparsity", "Pruning", "Quantization", "Low-rank", "Foundation Model");
        criteria.IrrelevantKeywords.Should().Equal("Reinforcement Learning", "Transfer Learning", "Federated Learning", "Online Learning", "Diffusion Models");
        criteria.ApplicationTasks.Should().HaveCount(12).And.StartWith("Image Segmentation").And.EndWith("Time Series");
    }

    [Fact]
    public void Parse_MarkdownPromptWithRubrics_KeepsTheReadersRubrics()
    {
        var criteria = ScoringCriteria.Parse(ReferenceDigest.Load(1).Prompt);

        criteria.RelevanceRubric.Should().StartWith("- Relevance 9-10 (Completely Relevant)").And.Contain("Relevance 1-2 (Ignore)");
        criteria.NoveltyRubric.Should().StartWith("- Novelty 9-10 (Breakthrough)").And.Contain("Novelty 1-2 (Low)");
        criteria.ScoringNotes.Should().Contain("ORTHONORMAL").And.NotContain(">");
        criteria.Warnings.Should().ContainSingle(w => w.Contains("'Papers'", StringComparison.Ordinal))
            .And.ContainSingle(w => w.Contains("'Instructions'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RenderedPromptWithEmptyRubrics_UsesTheDefaultRubricsAndSaysSo()
    {
        var criteria = ScoringCriteria.Parse(ReferenceDigest.Load(0).Prompt);

        criteria.RelevanceRubric.Should().BeNull();
        criteria.EffectiveRelevanceRubric.Should().Be(ScoringCriteria.DefaultRelevanceRubric);
        criteria.EffectiveNoveltyRubric.Should().Be(ScoringCriteria.DefaultNoveltyRubric);
        criteria.Warnings.Should().Contain(w => w.Contains("'Relevance Scoring' section is empty", StringComparison.Ordinal))
            .And.Contain(w => w.Contains("'Novelty Scoring' section is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_PromptCutOffAfterKeywords_WarnsAboutTheEmptySectionAndKeepsTheTopics()
    {
        var criteria = ScoringCriteria.Parse(ReferenceDigest.Load(2).Prompt);

        criteria.Topics.Should().HaveCount(6);
        criteria.RelevantKeywords.Should().BeEmpty();
        criteria.Warnings.Should().Contain(w => w.Contains("'Keywords' section is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BoldHeadingsBulletTopicsAndAuthorSections_ReadsEverything()
    {
        var criteria = ScoringCriteria.Parse(TestData.ReadText("scoring/criteria-variants.md"));

        criteria.Title.Should().Be("My reading list");
        criteria.Introduction.Should().Be("I care about theory that explains deep learning.");
        criteria.Topics.Select(t => t.Name).Should().Equal("Optimization theory", "Generalization");
        criteria.Topics[0].Description.Should().Be("convergence of SGD, implicit bias");
        criteria.Topics[1].Irrelevant.Should().Be("empirical hyper-parameter sweeps");
        criteria.RelevantKeywords.Should().Equal("implicit bias", "neural tangent kernel", "edge of stability");
        criteria.IrrelevantKeywords.Should().Equal("federated learning");
        criteria.ApplicationTasks.Should().Equal("medical imaging");
        criteria.FollowedAuthors.Should().Equal("{\\L}ukasz Ku\\'smierz", "Bengio, Yoshua");
        criteria.BlockedAuthors.Should().Equal("Spam Author", "Another Spammer");
        criteria.Notes.Should().ContainSingle().Which.Should().Be(new CriteriaNote("Reading habits", "I read on Fridays."));
        criteria.Warnings.Should().ContainSingle(w => w.Contains("'Instructions' section is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FreeFormText_UsesItAsTheInterestsAndWarns()
    {
        var criteria = ScoringCriteria.Parse(TestData.ReadText("scoring/criteria-freeform.txt"));

        criteria.Topics.Should().BeEmpty();
        criteria.Introduction.Should().StartWith("Anything about sparse mixture-of-experts");
        criteria.Warnings.Should().ContainSingle(w => w.Contains("free-form", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n ")]
    [InlineData("<!-- only a comment -->")]
    public void Parse_EmptyText_ThrowsWithAClearMessage(string text)
    {
        var act = () => ScoringCriteria.Parse(text);

        act.Should().Throw<CriteriaException>().WithMessage("*empty*docs/criteria.md*");
    }

    [Fact]
    public void Parse_OnlyAuthors_ThrowsBecauseNothingJudgesPapers()
    {
        var act = () => ScoringCriteria.Parse("## Followed authors\n\n- Yann LeCun\n");

        act.Should().Throw<CriteriaException>().WithMessage("*nothing to judge papers by*");
    }

    [Fact]
    public void Example_ParsesIntoTopicsKeywordsAndDefaultRubrics()
    {
        var example = ScoringCriteria.Example;

        example.Topics.Should().HaveCount(5);
        example.RelevantKeywords.Should().Contain("quantization").And.Contain("Mixture of Experts (MoE)");
        example.IrrelevantKeywords.Should().Contain("federated learning");
        example.ApplicationTasks.Should().Contain("Medical imaging");
        example.FollowedAuthors.Should().BeEmpty();
        example.RelevanceRubric.Should().BeNull();
        example.Warnings.Should().BeEmpty();
        ScoringCriteria.ExampleText.Should().Contain("## Topics");
    }

    [Fact]
    public void DefaultRubric_HasFiveBandsForEachScore()
    {
        ScoringCriteria.DefaultRelevanceRubric.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal) && char.IsDigit(l[2])).Should().Be(5);
        ScoringCriteria.DefaultNoveltyRubric.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal) && char.IsDigit(l[2])).Should().Be(5);
        ScoringCriteria.DefaultScoringNotes.Should().Contain("Relevance").And.Contain("novelty");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ToMarkdown_ThenParse_GivesTheSameCriteria(int digest)
    {
        var criteria = ScoringCriteria.Parse(ReferenceDigest.Load(digest).Prompt) with { FollowedAuthors = ["Yoshua Bengio"] };

        var again = ScoringCriteria.Parse(criteria.ToMarkdown());

        again.Topics.Should().Equal(criteria.Topics);
        again.RelevantKeywords.Should().Equal(criteria.RelevantKeywords);
        again.IrrelevantKeywords.Should().Equal(criteria.IrrelevantKeywords);
        again.ApplicationTasks.Should().Equal(criteria.ApplicationTasks);
        again.EffectiveRelevanceRubric.Should().Be(criteria.EffectiveRelevanceRubric);
        again.EffectiveNoveltyRubric.Should().Be(criteria.EffectiveNoveltyRubric);
        again.FollowedAuthors.Should().Equal("Yoshua Bengio");
        again.Introduction.Should().Be(criteria.Introduction);
    }

    [Fact]
    public async Task LoadAsync_MissingFile_ThrowsNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "arxivrank-no-such-criteria.md");

        var act = () => ScoringCriteria.LoadAsync(path);

        (await act.Should().ThrowAsync<CriteriaException>()).WithMessage($"*'{path}'*");
    }

    [Fact]
    public async Task LoadAsync_EmptyFile_ThrowsNamingTheFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            var act = () => ScoringCriteria.LoadAsync(path);

            (await act.Should().ThrowAsync<CriteriaException>()).WithMessage($"*'{path}'*empty*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
