using ClaudeActors.Conversations;
namespace ClaudeActors.Journal;

/// <summary>
/// How the journals store <see cref="ConversationStatus"/>: fixed lower-case words, so renaming an enum member never
/// changes what is on disk.
/// </summary>
internal static class ConversationStateText
{
    public static string From(ConversationStatus state) => state switch
    {
        ConversationStatus.Idle => "idle",
        ConversationStatus.Warm => "warm",
        ConversationStatus.Passivated => "passivated",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown conversation state."),
    };

    public static ConversationStatus Parse(string text) => text switch
    {
        "idle" => ConversationStatus.Idle,
        "warm" => ConversationStatus.Warm,
        "passivated" => ConversationStatus.Passivated,
        _ => throw new InvalidDataException($"The journal holds an unknown conversation state '{text}'."),
    };
}
