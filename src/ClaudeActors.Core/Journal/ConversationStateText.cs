namespace ClaudeActors.Journal;

/// <summary>
/// How the journals store <see cref="ConversationState"/>: fixed lower-case words, so renaming an enum member never
/// changes what is on disk.
/// </summary>
internal static class ConversationStateText
{
    public static string From(ConversationState state) => state switch
    {
        ConversationState.Idle => "idle",
        ConversationState.Warm => "warm",
        ConversationState.Passivated => "passivated",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown conversation state."),
    };

    public static ConversationState Parse(string text) => text switch
    {
        "idle" => ConversationState.Idle,
        "warm" => ConversationState.Warm,
        "passivated" => ConversationState.Passivated,
        _ => throw new InvalidDataException($"The journal holds an unknown conversation state '{text}'."),
    };
}
