using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Chat;

/// <summary>
/// Our server: <c>POST /v1/chat/completions</c> with <c>"stream": true</c>, read as raw server-sent events. Time to first
/// token ends at the first chunk whose <c>delta.content</c> is not empty; total ends at <c>data: [DONE]</c>.
/// </summary>
internal sealed class GatewayStreamingPath(HttpClient http, ChatWorkload workload) : IChatPath
{
    private const string DataPrefix = "data: ";

    private static readonly string Body = new JsonObject
    {
        ["model"] = "default",
        ["stream"] = true,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = ChatWorkload.Prompt }),
    }.ToJsonString();

    public string Name => "ours (server, streaming)";

    public async Task<Sample> SendAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(workload.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadAsStringAsync(timeout.Token);
                return Sample.Failed(stopwatch.Elapsed, $"HTTP {(int)response.StatusCode}: {error}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await ReadStreamAsync(new StreamReader(stream, Encoding.UTF8), stopwatch, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Sample.Failed(stopwatch.Elapsed, $"no [DONE] within {workload.RequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return Sample.Failed(stopwatch.Elapsed, ex.Message);
        }
    }

    private static async Task<Sample> ReadStreamAsync(StreamReader reader, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        TimeSpan? firstToken = null;
        var text = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith(DataPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var data = line[DataPrefix.Length..];
            if (data == "[DONE]")
            {
                var total = stopwatch.Elapsed;
                return firstToken is { } ttft && ChatWorkload.IsExpected(text.ToString())
                    ? Sample.Ok(ttft, total)
                    : Sample.Failed(total, $"unexpected answer: '{text}'");
            }

            using var chunk = JsonDocument.Parse(data);
            if (chunk.RootElement.TryGetProperty("error", out var error))
            {
                return Sample.Failed(stopwatch.Elapsed, "error event: " + error.GetRawText());
            }

            var content = ContentOf(chunk.RootElement);
            if (content.Length > 0)
            {
                firstToken ??= stopwatch.Elapsed;
                text.Append(content);
            }
        }

        return Sample.Failed(stopwatch.Elapsed, "the stream ended without data: [DONE]");
    }

    private static string ContentOf(JsonElement chunk) =>
        chunk.TryGetProperty("choices", out var choices)
        && choices.ValueKind == JsonValueKind.Array
        && choices.GetArrayLength() > 0
        && choices[0].TryGetProperty("delta", out var delta)
        && delta.TryGetProperty("content", out var content)
        && content.ValueKind == JsonValueKind.String
            ? content.GetString() ?? ""
            : "";
}
