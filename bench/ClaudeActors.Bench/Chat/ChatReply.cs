using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Chat;

/// <summary>
/// One answer as the client got it: its times (or the failure), the text, and the conversation id the server named in
/// <c>X-Session-Id</c> (null when it named none).
/// </summary>
internal readonly record struct ChatReply(Sample Sample, string Text, string? SessionId);
