namespace ClaudeActors.Journal;

/// <summary>The errors both journals raise alike.</summary>
internal static class JournalErrors
{
    /// <summary>A write to a conversation that does not exist (never created, or deleted meanwhile).</summary>
    public static KeyNotFoundException NotFound(string id) => new($"The journal has no conversation '{id}'.");
}
