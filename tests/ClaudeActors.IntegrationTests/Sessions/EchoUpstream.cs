using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>An upstream that answers each request with "echo: " and its last user text, so every answer is its own.</summary>
internal static class EchoUpstream
{
    public static void Install(FakeAnthropicServer upstream, TimeSpan? chunkDelay = null) =>
        upstream.Responder = request => FakeReply.Text("echo: " + request.LastUserText, chunkCount: 3, chunkDelay: chunkDelay);
}
