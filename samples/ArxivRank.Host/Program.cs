// Sample: host ArxivRank. Runs the digest daily at Digest:RunAt (US-Eastern by default) and serves the HTML
// archive on http://127.0.0.1:5080/. POST /run starts a digest now. Settings: appsettings.json, section "Digest".
//
//   dotnet run --project samples/ArxivRank.Host                      (offline snapshot source)
//   dotnet run --project samples/ArxivRank.Host -- --Digest:Source=rss
using ArxivRank.Host;

var app = HostApp.Build(args);
await app.RunAsync();
