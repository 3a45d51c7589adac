using ClaudeActors.Server.Hosting;

var app = ClaudeActorsApp.Build(args);
app.Run();

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
