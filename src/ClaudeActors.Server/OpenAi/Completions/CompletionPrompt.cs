using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Server.OpenAi.Completions;

/// <summary>
/// How a legacy prompt reaches the model: one user message of two text blocks, an instruction to continue the text and
/// then the client's text exactly as sent. A chat model answers a message; this asks it to write what comes next.
/// </summary>
internal static class CompletionPrompt
{
    public const string Instruction =
        "Continue the text in the next block from exactly where it ends. Reply with the continuation only: " +
        "do not repeat the text, and add no introduction, quotes or commentary.";

    public static IReadOnlyList<CliContentBlock> For(string text) => [new CliTextBlock(Instruction), new CliTextBlock(text)];
}
