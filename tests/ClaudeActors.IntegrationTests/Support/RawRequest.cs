using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>A request with exactly the headers a test gives (a foreign <c>Host</c>, an <c>Origin</c>, any content type).</summary>
internal sealed record RawRequest(HttpMethod Method, string Path)
{
    /// <summary>The body; sent with <see cref="ContentType"/> as it is (null: no <c>Content-Type</c> header).</summary>
    public string? Body { get; init; }

    public string? ContentType { get; init; } = "application/json";

    public string? Host { get; init; }

    public string? Origin { get; init; }

    public static RawRequest Chat(string text, string? sessionId = null) => new(HttpMethod.Post, "v1/chat/completions")
    {
        Body = JsonSerializer.Serialize(new { session_id = sessionId, messages = new[] { new { role = "user", content = text } } }),
    };

    public async Task<HttpResponseMessage> SendAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            request.Content.Headers.ContentType = ContentType is null ? null : MediaTypeHeaderValue.Parse(ContentType);
        }

        if (Host is not null)
        {
            request.Headers.Host = Host;
        }

        if (Origin is not null)
        {
            request.Headers.Add("Origin", Origin);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Sends the request and returns its status and the <c>error</c> object of its body.</summary>
    public async Task<(int Status, JsonElement Error)> ErrorAsync(HttpClient http)
    {
        using var response = await SendAsync(http);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, (await Sse.JsonAsync(response)).GetProperty("error"));
    }
}
