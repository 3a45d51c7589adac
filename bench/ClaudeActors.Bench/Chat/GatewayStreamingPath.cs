using System.Text.Json.Nodes;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Chat;

/// <summary>
/// Our server: <c>POST /v1/chat/completions</c> with <c>"stream": true</c> and the one question of
/// <see cref="ChatWorkload"/>, read as raw server-sent events (<see cref="GatewayChat"/>).
/// </summary>
internal sealed class GatewayStreamingPath(HttpClient http, ChatWorkload workload) : IChatPath
{
    private static readonly string Body = new JsonObject
    {
        ["model"] = "default",
        ["stream"] = true,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = ChatWorkload.Prompt }),
    }.ToJsonString();

    private readonly GatewayChat _chat = new(http, workload.RequestTimeout);

    public string Name => "ours (server, streaming)";

    public async Task<Sample> SendAsync(CancellationToken cancellationToken) =>
        (await _chat.StreamAsync(Body, ChatWorkload.IsExpected, cancellationToken)).Sample;
}
