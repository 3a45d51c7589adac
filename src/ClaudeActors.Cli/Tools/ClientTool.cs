namespace ClaudeActors.Cli.Tools;

/// <summary>
/// A function the client declared (OpenAI <c>tools[].function</c>): its name, description and JSON-schema parameters
/// (an object schema, as raw JSON). The CLI reaches it through <see cref="ClientToolServer"/>.
/// </summary>
internal sealed record ClientTool(string Name, string? Description, string ParametersJson);
