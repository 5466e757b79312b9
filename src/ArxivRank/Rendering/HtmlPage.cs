using System.Text;

namespace ArxivRank.Rendering;

/// <summary>The shared frame of every HTML page: the head with the Content-Security-Policy and the inline style sheet.</summary>
internal static class HtmlPage
{
    /// <summary>The policy every page declares and satisfies: no scripts, no external anything, styles inline only.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    public static void AppendHead(StringBuilder sb, string title, string? description = null, string? feedHref = null)
    {
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta name=\"color-scheme\" content=\"light dark\">\n")
          .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
          .Append("<meta name=\"generator\" content=\"ArxivRank\">\n");
        if (description is not null)
        {
            sb.Append("<meta name=\"description\" content=\"").AppendHtml(description).Append("\">\n");
        }

        if (feedHref is not null)
        {
            sb.Append("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Atom feed\" href=\"").AppendHtml(feedHref).Append("\">\n");
        }

        sb.Append("<title>").AppendHtml(title).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n");
    }

    public const string Css = """
:root {
  --bg: #f6f7f9; --surface: #ffffff; --text: #1d2330; --muted: #5d6677; --faint: #8a93a3;
  --line: #e3e6ec; --accent: #b31b1b; --accent-soft: #fbeaea; --link: #1f4fa8;
  --hi: #0f7a4a; --hi-soft: #e3f4ea; --mid: #1f5fae; --mid-soft: #e6eef9; --lo: #8a5a00; --lo-soft: #fbf0d9;
  --none: #5d6677; --none-soft: #eceef2; --author: #6b3fa0; --author-soft: #efe7f8;
  --target: #fff7d6; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.08);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1217; --surface: #171b22; --text: #e4e7ec; --muted: #a3abb9; --faint: #7d8696;
    --line: #2a303b; --accent: #ff6b6b; --accent-soft: #3a1f22; --link: #8ab4ff;
    --hi: #5fd49a; --hi-soft: #173427; --mid: #8ab4ff; --mid-soft: #1c2a40; --lo: #f0c36a; --lo-soft: #3a2f17;
    --none: #a3abb9; --none-soft: #262b34; --author: #c9a4ff; --author-soft: #2d2340;
    --target: #2c2a1a; --shadow: 0 1px 2px rgba(0,0,0,.4);
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
@media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 17px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
a { color: var(--link); text-decoration: none; }
a:hover, a:focus-visible { text-decoration: underline; }
a:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; border-radius: 3px; }
.wrap { max-width: 52rem; margin: 0 auto; padding: 0 1.25rem; }
.topnav { background: var(--surface); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.topnav .wrap { display: flex; justify-content: space-between; align-items: center; gap: .75rem; min-height: 3rem; font-size: .9rem; }
.topnav .wrap > * { flex: 1; }
.topnav .mid { text-align: center; }
.topnav .wrap > :last-child { text-align: right; }
.topnav a, .topnav span { white-space: nowrap; }
.topnav .off { color: var(--faint); }
.topnav .mid { font-weight: 600; }
header.hero { padding: 2.25rem 0 1rem; }
.kicker { margin: 0; color: var(--accent); font-size: .8rem; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; }
h1 { margin: .25rem 0 0; font-size: 2rem; line-height: 1.2; letter-spacing: -.01em; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem; margin: 1.5rem 0 1rem; }
.stat { background: var(--surface); border: 1px solid var(--line); border-radius: .75rem; padding: .8rem 1rem; box-shadow: var(--shadow); }
.stat b { display: block; font-size: 1.6rem; line-height: 1.2; font-variant-numeric: tabular-nums; }
.stat span { color: var(--muted); font-size: .85rem; }
.stat.sel b { color: var(--accent); }
.usage { width: 100%; border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; margin: 0 0 .5rem; }
.usage caption { text-align: left; color: var(--muted); font-size: .8rem; padding-bottom: .25rem; }
.usage th, .usage td { padding: .35rem .5rem; border-bottom: 1px solid var(--line); text-align: right; }
.usage th:first-child, .usage td:first-child { text-align: left; }
.usage tbody th { white-space: nowrap; }
.usage thead th { color: var(--muted); font-weight: 600; }
.scroll { overflow-x: auto; }
h2.section { font-size: 1.15rem; margin: 2rem 0 .75rem; }
.toc { background: var(--surface); border: 1px solid var(--line); border-radius: .75rem; padding: .5rem 1rem; box-shadow: var(--shadow); }
.toc ol { list-style: none; margin: 0; padding: 0; }
.toc li { display: grid; grid-template-columns: 2.2rem 1fr auto; gap: .25rem .5rem; padding: .6rem 0; border-bottom: 1px solid var(--line); align-items: baseline; }
.toc li:last-child { border-bottom: 0; }
.toc .n { color: var(--faint); font-variant-numeric: tabular-nums; text-align: right; }
.toc .t { font-weight: 600; line-height: 1.35; }
.toc .a { grid-column: 2 / 4; color: var(--muted); font-size: .82rem; line-height: 1.4; }
.toc .s { display: flex; gap: .3rem; font-size: .78rem; white-space: nowrap; }
.paper { background: var(--surface); border: 1px solid var(--line); border-radius: .9rem; padding: 1.25rem 1.35rem 1.1rem; margin: 1rem 0; box-shadow: var(--shadow); scroll-margin-top: 4rem; }
.paper:target { border-color: var(--accent); box-shadow: 0 0 0 3px var(--accent-soft), var(--shadow); }
.paper h3 { margin: 0; font-size: 1.25rem; line-height: 1.35; display: flex; gap: .6rem; }
.paper h3 a { color: var(--text); }
.paper h3 a:hover { color: var(--link); }
.rank { flex: none; min-width: 1.9rem; height: 1.9rem; border-radius: 999px; background: var(--accent-soft); color: var(--accent); font-size: .85rem; font-weight: 700; display: inline-flex; align-items: center; justify-content: center; margin-top: .05rem; }
.badges { display: flex; flex-wrap: wrap; gap: .4rem; margin: .75rem 0 .5rem; }
.badge { display: inline-block; border-radius: 999px; padding: .1rem .6rem; font-size: .78rem; font-weight: 600; background: var(--none-soft); color: var(--none); white-space: nowrap; font-variant-numeric: tabular-nums; }
.badge.hi { background: var(--hi-soft); color: var(--hi); }
.badge.mid { background: var(--mid-soft); color: var(--mid); }
.badge.lo { background: var(--lo-soft); color: var(--lo); }
.badge.author { background: var(--author-soft); color: var(--author); }
.authors { margin: .25rem 0; color: var(--muted); font-size: .92rem; }
.meta { margin: .25rem 0 .5rem; color: var(--faint); font-size: .82rem; }
.meta a { margin-left: .15rem; }
.comment { margin: .75rem 0; padding: .6rem .85rem; border-left: 3px solid var(--mid); background: var(--mid-soft); border-radius: 0 .5rem .5rem 0; font-size: .92rem; }
.comment::before { content: "Why: "; font-weight: 700; color: var(--mid); }
.abstract { margin: .75rem 0 0; font-size: .95rem; overflow-wrap: anywhere; }
.back { display: block; margin-top: .6rem; font-size: .8rem; text-align: right; }
details.criteria { background: var(--surface); border: 1px solid var(--line); border-radius: .75rem; padding: .75rem 1rem; margin: 2rem 0; }
details.criteria summary { cursor: pointer; font-weight: 600; }
details.criteria pre { white-space: pre-wrap; overflow-wrap: anywhere; font: .85rem/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
.months { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem; }
.months li a { display: flex; justify-content: space-between; background: var(--surface); border: 1px solid var(--line); border-radius: .75rem; padding: .8rem 1rem; box-shadow: var(--shadow); }
.months li span { color: var(--muted); font-size: .9rem; }
.cal { width: 100%; border-collapse: separate; border-spacing: .35rem; table-layout: fixed; }
.cal th { color: var(--muted); font-size: .78rem; font-weight: 600; }
.cal td { height: 4.2rem; vertical-align: top; border: 1px dashed var(--line); border-radius: .5rem; padding: .3rem .4rem; font-size: .8rem; color: var(--faint); }
.cal td.pad { background: transparent; border-color: transparent; }
.cal td.has { padding: 0; background: var(--surface); border: 1px solid var(--line); box-shadow: var(--shadow); }
.cal td.has a { display: block; height: 100%; padding: .3rem .4rem; color: var(--text); border-radius: .5rem; }
.cal td.has a:hover { background: var(--mid-soft); text-decoration: none; }
.cal td.has b { display: block; color: var(--accent); font-size: 1.15rem; margin-top: .15rem; line-height: 1.2; }
.cal td.has small { color: var(--muted); font-size: .7rem; }
footer { color: var(--faint); font-size: .8rem; text-align: center; }
footer.wrap { padding-top: 2.5rem; padding-bottom: 3rem; }
@media (max-width: 40rem) {
  body { font-size: 16px; }
  .wrap { padding: 0 .85rem; }
  h1 { font-size: 1.5rem; }
  header.hero { padding-top: 1.5rem; }
  .paper { padding: 1rem; border-radius: .75rem; }
  .paper h3 { font-size: 1.1rem; }
  .abstract { text-align: left; }
  .toc li { grid-template-columns: 1.8rem 1fr; }
  .toc .s { grid-column: 2; }
  .toc .a { grid-column: 2; }
  .cal { border-spacing: .15rem; }
  .cal td { height: 3.2rem; font-size: .72rem; padding: .2rem; }
  .stat b { font-size: 1.3rem; }
  .topnav .lbl { display: none; }
  .cal td.has small { display: none; }
}
@media print { .topnav, .back { display: none; } .paper { box-shadow: none; break-inside: avoid; } }

""";
}
