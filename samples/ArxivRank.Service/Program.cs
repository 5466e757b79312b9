using ArxivRank.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddArxivRankService();
var app = builder.Build();
app.MapArxivRankApi();
app.Run();

/// <summary>The service's entry point (public for the tests' WebApplicationFactory-free hosting).</summary>
public partial class Program;
