using System.Globalization;
using System.Text;
using ArxivRank.Rendering;

namespace ArxivRank.TestUtilities.Pipeline;

/// <summary>A hand-written <see cref="IDigestRenderer"/>: records every digest and writes <c>{date}.{format}</c> listing the selected ids, one a line.</summary>
public sealed class RecordingRenderer(string format = "txt") : IDigestRenderer
{
    private readonly List<Digest> _digests = [];

    public string Format { get; } = format;

    /// <summary>Gets or sets a hook run before rendering; throw from it to simulate a failing renderer.</summary>
    public Action<Digest>? BeforeRender { get; set; }

    /// <summary>Gets the digests rendered, in order.</summary>
    public IReadOnlyList<Digest> Digests => _digests;

    public static string NameFor(DateOnly date, string format) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "." + format;

    public async Task RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        BeforeRender?.Invoke(digest);
        _digests.Add(digest);
        await using var stream = await output.CreateAsync(NameFor(digest.Date, Format), "text/plain", cancellationToken);
        byte[] text = Encoding.UTF8.GetBytes(string.Join('\n', digest.Papers.Select(e => e.Paper.Id.ToString())));
        await stream.WriteAsync(text, cancellationToken);
    }
}
