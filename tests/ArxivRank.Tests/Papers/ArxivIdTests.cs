namespace ArxivRank.Tests.Papers;

public class ArxivIdTests
{
    [Theory]
    [InlineData("2502.12851", "2502.12851", null)]
    [InlineData("2502.12851v2", "2502.12851", 2)]
    [InlineData("arXiv:2502.12851", "2502.12851", null)]
    [InlineData("ARXIV:2502.12851v3", "2502.12851", 3)]
    [InlineData("https://arxiv.org/abs/2502.12851v1", "2502.12851", 1)]
    [InlineData("http://arxiv.org/abs/2502.12851", "2502.12851", null)]
    [InlineData("https://arxiv.org/pdf/2502.12851v4.pdf", "2502.12851", 4)]
    [InlineData("oai:arXiv.org:2502.12851v1", "2502.12851", 1)]
    [InlineData("  2502.12851  ", "2502.12851", null)]
    [InlineData("0704.0001", "0704.0001", null)]
    [InlineData("1412.6980v9", "1412.6980", 9)]
    [InlineData("hep-th/9901001", "hep-th/9901001", null)]
    [InlineData("oai:arXiv.org:hep-th/9901001", "hep-th/9901001", null)]
    [InlineData("solv-int/9901001v2", "solv-int/9901001", 2)]
    public void Parse_AnyKnownForm_NormalizesIdAndVersion(string input, string id, int? version)
    {
        var parsed = ArxivId.Parse(input);

        parsed.Id.Should().Be(id);
        parsed.Version.Should().Be(version);
    }

    [Fact]
    public void Parse_OldStyleWithSubjectClass_KeepsArchiveCanonicalAndSubjectApart()
    {
        var parsed = ArxivId.Parse("math.GT/0309136v1");

        parsed.Id.Should().Be("math/0309136");
        parsed.SubjectClass.Should().Be("GT");
        parsed.Version.Should().Be(1);
        parsed.IsOldStyle.Should().BeTrue();
        parsed.ToString().Should().Be("math/0309136v1");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello", "not an arXiv identifier")]
    [InlineData("2502.1285", "5")]
    [InlineData("1412.69801", "4")]
    [InlineData("2513.12851", "month")]
    [InlineData("2502.12851v0", "version")]
    [InlineData("math/030913", "seven digits")]
    [InlineData("ma th/0309136", "archive")]
    [InlineData("0612.0001", "archive/YYMMNNN")]
    public void TryParse_Garbage_FailsWithReason(string input, string reasonFragment)
    {
        bool ok = ArxivId.TryParse(input, out _, out var error);

        ok.Should().BeFalse();
        error.Should().ContainEquivalentOf(reasonFragment);
    }

    [Fact]
    public void Parse_Garbage_ThrowsFormatException()
    {
        var act = () => ArxivId.Parse("not-an-id");

        act.Should().Throw<FormatException>().WithMessage("*not-an-id*");
    }

    [Fact]
    public void Equality_ComparesIdAndVersion_SamePaperAsIgnoresVersion()
    {
        var v1 = ArxivId.Parse("2502.12851v1");
        var v2 = ArxivId.Parse("2502.12851v2");

        v1.Should().NotBe(v2);
        v1.SamePaperAs(v2).Should().BeTrue();
        v1.WithoutVersion().Should().Be(v2.WithoutVersion());
        v1.WithoutVersion().WithVersion(2).Should().Be(v2);
    }

    [Fact]
    public void Json_RoundTripsAsString()
    {
        var id = ArxivId.Parse("arXiv:2502.12851v2");

        string json = System.Text.Json.JsonSerializer.Serialize(id);
        var back = System.Text.Json.JsonSerializer.Deserialize<ArxivId>(json);

        json.Should().Be("\"2502.12851v2\"");
        back.Should().Be(id);
    }

    [Fact]
    public void AbsUri_PointsAtArxiv()
    {
        ArxivId.Parse("2502.12851v2").AbsUri.Should().Be(new Uri("https://arxiv.org/abs/2502.12851v2"));
    }
}
