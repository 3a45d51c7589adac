using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.Testing.Cluster;

/// <summary>The fake upstream answers each turn with a text of its own, so histories can be compared exactly.</summary>
public static class DistinctAnswers
{
    /// <summary>Makes <paramref name="upstream"/> answer every call with <see cref="To"/> its last user text.</summary>
    public static void Use(FakeAnthropicServer upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        upstream.Responder = request => FakeReply.Text(To(request.LastUserText ?? ""), chunkCount: 6);
    }

    /// <summary>The answer to a turn whose text is <paramref name="text"/>.</summary>
    public static string To(string text) => $"Answer to <{text}>";
}
