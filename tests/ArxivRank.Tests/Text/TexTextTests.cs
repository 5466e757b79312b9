namespace ArxivRank.Tests.Text;

public class TexTextTests
{
    [Theory]
    [InlineData(@"Christopher R\'e", "Christopher Ré")]
    [InlineData(@"Korbinian P\""oppel", "Korbinian Pöppel")]
    [InlineData(@"Nuno Gon\c{c}alves", "Nuno Gonçalves")]
    [InlineData(@"{\L}ukasz Ku\'smierz", "Łukasz Kuśmierz")]
    [InlineData(@"\'Eric", "Éric")]
    [InlineData(@"K{\i}c{\i}man", "Kıcıman")]
    [InlineData(@"J. Pablo Mu\~noz", "J. Pablo Muñoz")]
    [InlineData(@"Ba{\l}azy", "Bałazy")]
    [InlineData(@"Andr\'{e}", "André")]
    [InlineData(@"{\'{E}}mile", "Émile")]
    [InlineData(@"Gau\ss", "Gauß")]
    [InlineData(@"Gau\ss{}ian", "Gaußian")]
    [InlineData(@"Sl{\o}k", "Sløk")]
    [InlineData(@"{\AA}ngstr{\""o}m", "Ångström")]
    [InlineData(@"\v{S}ime\v{c}ek", "Šimeček")]
    [InlineData(@"Erd\H{o}s", "Erdős")]
    [InlineData(@"\k{a}", "ą")]
    [InlineData(@"Fran\c cois", "François")]
    [InlineData(@"\'{\i}", "í")]
    [InlineData(@"\`a la", "à la")]
    [InlineData(@"\^{o}", "ô")]
    [InlineData(@"\=a \.z \u{g}", "ā ż ğ")]
    public void ToUnicode_AccentsAndLetters_BecomeUnicode(string tex, string expected)
    {
        TexText.ToUnicode(tex).Should().Be(expected);
    }

    [Theory]
    [InlineData("pages 1--10", "pages 1\u201310")]
    [InlineData("this---that", "this\u2014that")]
    [InlineData(@"Q\&A at 50\% off", "Q&A at 50% off")]
    [InlineData("{BERT} and {GPT}", "BERT and GPT")]
    [InlineData(@"\emph{very} \textbf{bold}", "very bold")]
    public void ToUnicode_PunctuationEscapesAndBraces_AreResolved(string tex, string expected)
    {
        TexText.ToUnicode(tex).Should().Be(expected);
    }

    [Theory]
    [InlineData(@"Scaling $\alpha$ with $O(n^{2})$", @"Scaling $\alpha$ with $O(n^{2})$")]
    [InlineData(@"$$\sum_{i} x_i$$ holds", @"$$\sum_{i} x_i$$ holds")]
    [InlineData(@"an \(\ell_{1}\) norm", @"an \(\ell_{1}\) norm")]
    [InlineData(@"costs $5 only", @"costs $5 only")]
    public void ToUnicode_Math_IsLeftIntact(string tex, string expected)
    {
        TexText.ToUnicode(tex).Should().Be(expected);
    }

    [Fact]
    public void ToUnicode_PlainText_IsReturnedAsIs()
    {
        const string plain = "Mixture of Experts at scale";

        TexText.ToUnicode(plain).Should().BeSameAs(plain);
        TexText.ToUnicode(null).Should().BeEmpty();
    }

    [Fact]
    public void ToUnicode_UnknownCommand_IsKept()
    {
        TexText.ToUnicode(@"see \cite{x}").Should().Be(@"see \cite{x}");
    }
}
