using System.Text;
using System.Text.Json;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>Raw HTTP helpers: posts JSON and reads server-sent events exactly as they are on the wire.</summary>
internal static class Sse
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string json, HttpCompletionOption option = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return http.SendAsync(request, option, cancellationToken);
    }

    /// <summary>Posts a chat request with one more header (<c>X-Session-Id</c>, say).</summary>
    public static Task<HttpResponseMessage> PostWithHeaderAsync(HttpClient http, string json, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(header, value);
        return http.SendAsync(request);
    }

    /// <summary>The <c>data:</c> payloads of a complete SSE body, checking the framing on the way.</summary>
    public static List<string> DataLines(string body)
    {
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var data = new List<string>();
        foreach (var ev in events)
        {
            Assert.StartsWith("data: ", ev, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", ev, StringComparison.Ordinal);
            data.Add(ev["data: ".Length..]);
        }

        return data;
    }

    public static JsonElement Json(string data) => JsonDocument.Parse(data).RootElement.Clone();

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Reads one SSE event (up to the blank line) from a live stream.</summary>
    public static async Task<string?> ReadEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            return null;
        }

        var blank = await reader.ReadLineAsync(cancellationToken);
        Assert.Equal("", blank);
        Assert.StartsWith("data: ", line, StringComparison.Ordinal);
        return line["data: ".Length..];
    }

    public static string Body(object value) => JsonSerializer.Serialize(value);
}
