// Sample: host ArxivRank. Runs the reader profile's digest daily at ArxivRank:Schedule:RunAt (US-Eastern by default)
// and serves the HTML archive on http://127.0.0.1:5080/. POST /run starts a digest now. The profile: appsettings.json,
// section "ArxivRank" (docs/configuration.md); environment variables such as ArxivRank__Model override it.
//
//   dotnet run --project samples/ArxivRank.Host                      (offline snapshot source)
//   dotnet run --project samples/ArxivRank.Host -- --ArxivRank:Source=rss
using ArxivRank.Host;

var app = HostApp.Build(args);
await app.RunAsync();
