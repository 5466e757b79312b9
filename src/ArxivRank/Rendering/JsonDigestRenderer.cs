namespace ArxivRank.Rendering;

/// <summary>Renders a digest as JSON (<see cref="DigestJson"/>), one file per day.</summary>
internal sealed class JsonDigestRenderer : IDigestRenderer
{
    private readonly JsonRendererOptions _options;

    public JsonDigestRenderer(JsonRendererOptions options)
    {
        _options = options;
    }

    public string Format => "json";

    public async Task RenderAsync(Digest digest, IDigestOutput output, CancellationToken cancellationToken = default)
    {
        DigestGuard.Check(digest);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var stream = await output.CreateAsync(DigestOutputNames.Daily(digest.Date, "json"), "application/json", cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await DigestJson.WriteAsync(digest, stream, _options, cancellationToken).ConfigureAwait(false);
        }
    }
}
