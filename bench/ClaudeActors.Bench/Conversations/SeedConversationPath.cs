using ClaudeActors.Bench.Chat;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// The seeds' way with a conversation: every turn a fresh <c>claude -p --output-format json</c> whose one prompt is the
/// whole history as <c>User: ...</c> / <c>Assistant: ...</c> lines, sliced after the process ended (<see cref="SeedOneShotPath"/>).
/// </summary>
internal sealed class SeedConversationPath(SeedOneShotPath seeds) : IConversationPath
{
    public string Name => "(d) seeds: claude -p, history pasted";

    public bool HasSession => false;

    public Task<ChatReply> SendTurnAsync(Conversation conversation, string question, Func<string, bool> isExpected, CancellationToken cancellationToken) =>
        seeds.RunAsync(conversation.TranscriptPrompt(question), isExpected, cancellationToken);
}
