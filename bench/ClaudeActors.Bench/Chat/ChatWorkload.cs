using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.Bench.Chat;

/// <summary>The same question and the same streamed upstream answer for every path.</summary>
internal sealed record ChatWorkload(int ChunkCount, TimeSpan ChunkDelay, TimeSpan RequestTimeout)
{
    public const string Prompt = "In two sentences: why does a fox cross the road at night?";

    /// <summary>About 50 words, split by the fake upstream into <see cref="ChunkCount"/> text deltas.</summary>
    public const string Answer =
        "A fox crosses the road at night because its territory rarely ends at the asphalt, and darkness hides it from "
        + "the owls, dogs and people it would rather avoid. The far verge often smells of mice, bins and other foxes, "
        + "which is reason enough to risk the headlights.";

    public FakeReply UpstreamReply() => FakeReply.Text(Answer, chunkCount: ChunkCount, chunkDelay: ChunkDelay);

    /// <summary>Whether a path returned the answer the upstream streamed (the CLI may trim white space at the ends).</summary>
    public static bool IsExpected(string text) => string.Equals(text.Trim(), Answer, StringComparison.Ordinal);
}
