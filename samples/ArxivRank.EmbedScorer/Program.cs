// Sample: embed the ArxivRank scorer in another tool.
//
//   dotnet run --project samples/ArxivRank.EmbedScorer -- --criteria my-criteria.md 2507.01234 2507.04321
//   dotnet run --project samples/ArxivRank.EmbedScorer -- --ids ids.txt --papers papers.jsonl   (offline)
//
// Papers come from arXiv's export API by id (--base-url points at a mirror) or, offline, from a JSON-lines file
// (the `arxivrank fetch` output). The lexical scorer runs with no key; with OPENAI_API_KEY set, the LLM scorer runs.
using ArxivRank;
using ArxivRank.OpenAI;
using ArxivRank.Scoring;
using ArxivRank.Sources;

var ids = new List<ArxivId>();
string? criteriaPath = null, papersPath = null, baseUrl = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--criteria": criteriaPath = args[++i]; break;
        case "--papers": papersPath = args[++i]; break;
        case "--base-url": baseUrl = args[++i]; break;
        case "--ids": ids.AddRange(File.ReadLines(args[++i]).Where(l => l.Trim().Length > 0).Select(l => ArxivId.Parse(l.Trim()))); break;
        default: ids.Add(ArxivId.Parse(args[i])); break;
    }
}

var criteria = criteriaPath is null ? ScoringCriteria.Example : await ScoringCriteria.LoadAsync(criteriaPath);

// 1. Papers: from a JSON-lines file (offline) or arXiv's export API by id list.
List<Paper> papers = [];
if (papersPath is not null)
{
    using var reader = File.OpenText(papersPath);
    await foreach (var line in PaperJsonLines.ReadAsync(reader))
    {
        if (line.Paper is null)
        {
            Console.Error.WriteLine($"{papersPath}:{line.LineNumber}: {line.Error}");
        }
        else if (ids.Count == 0 || ids.Any(id => id.SamePaperAs(line.Paper.Id)))
        {
            papers.Add(line.Paper);
        }
    }
}
else
{
    var options = new ArxivSourceOptions { BaseUrl = baseUrl is null ? null : new Uri(baseUrl) };
    var result = await ArxivSources.CreateApi(options).FetchAsync(new ArxivQuery { Ids = ids });
    papers.AddRange(result.Papers);
}

// 2. Scorer: the LLM when a key is set, the lexical scorer otherwise.
string? key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
IPaperScorer scorer = string.IsNullOrEmpty(key)
    ? PaperScorers.CreateLexical(criteria)
    : OpenAIChatClientFactory.Create(new OpenAIChatClientOptions { ApiKey = key }).AsPaperScorer(criteria);

// 3. Score and print a ranked table.
var scored = await scorer.ScoreAsync(papers);
var titles = papers.ToDictionary(p => p.Id.Id, p => p.Title);
Console.WriteLine($"{"rank",4}  {"score",5}  {"id",-12}  title");
int rank = 0;
foreach (var s in scored.Scores.OrderByDescending(s => s.Score ?? 0))
{
    string title = titles.GetValueOrDefault(s.PaperId.Id, "");
    Console.WriteLine($"{++rank,4}  {s.Score ?? 0,5:0.00}  {s.PaperId.Id,-12}  {(title.Length > 70 ? title[..69] + "…" : title)}");
}

foreach (var u in scored.Unscored)
{
    Console.WriteLine($"   -      -  {u.Paper.Id.Id,-12}  (not scored: {u.Reason})");
}
