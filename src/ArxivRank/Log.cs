namespace ArxivRank;

/// <summary>
/// Source-generated log messages of the library. Each area adds its messages in its own <c>Log.&lt;Area&gt;.cs</c> file
/// with fixed event ids in its own range: parsing 1000–1999, sources 2000–2999, scoring 3000–3999, rendering 4000–4999,
/// pipeline 5000–5999, ranking 6000–6999. Prompts, abstracts and model output are logged only at Trace; never an API key.
/// </summary>
internal static partial class Log;
