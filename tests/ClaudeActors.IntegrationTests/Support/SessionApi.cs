using System.Text;
using System.Text.Json;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>Talks to a conversation by id over raw HTTP and reads the Session API.</summary>
internal static class SessionApi
{
    /// <summary>Sends one user message to a conversation (body <c>session_id</c>) and returns the answer's text.</summary>
    public static async Task<string> SayAsync(HttpClient http, string sessionId, string text, string? system = null, string? model = null)
    {
        using var response = await PostAsync(http, sessionId, text, system, model);
        var body = await Sse.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(sessionId, body.GetProperty("session_id").GetString());
        return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string sessionId, string text, string? system = null, string? model = null, CancellationToken cancellationToken = default)
    {
        var messages = new List<object>();
        if (system is not null)
        {
            messages.Add(new { role = "system", content = system });
        }

        messages.Add(new { role = "user", content = text });
        return Sse.PostAsync(http, JsonSerializer.Serialize(new { model = model ?? "default", session_id = sessionId, messages }), HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    /// <summary>Sends a whole history without an id, as a stateless OpenAI client does.</summary>
    public static Task<HttpResponseMessage> ResendAsync(HttpClient http, params (string Role, string Content)[] messages) =>
        Sse.PostAsync(http, JsonSerializer.Serialize(new { messages = messages.Select(m => new { role = m.Role, content = m.Content }) }));

    public static async Task<JsonElement> GetAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync("v1/sessions/" + Uri.EscapeDataString(sessionId));
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new Xunit.Sdk.XunitException($"GET /v1/sessions/{sessionId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return await Sse.JsonAsync(response);
    }

    /// <summary>
    /// Checks through the Session API that the conversation's record and its turns agree: the record counts
    /// <paramref name="turns"/> and the turns are numbered 1 to <paramref name="turns"/>, none missing, none extra.
    /// </summary>
    public static async Task AssertTurnsAsync(HttpClient http, string sessionId, int turns)
    {
        var session = await GetAsync(http, sessionId);
        Assert.Equal(turns, session.GetProperty("turns").GetInt32());
        Assert.Equal(Enumerable.Range(1, turns), session.GetProperty("history").EnumerateArray().Select(t => t.GetProperty("sequence").GetInt32()));
    }

    /// <summary>Sends one user message to a conversation as a streamed request and returns the <c>data:</c> payloads.</summary>
    public static async Task<List<string>> StreamAsync(HttpClient http, string sessionId, string text)
    {
        var body = JsonSerializer.Serialize(new { model = "default", session_id = sessionId, stream = true, messages = new[] { new { role = "user", content = text } } });
        using var response = await Sse.PostAsync(http, body);
        Assert.Equal(200, (int)response.StatusCode);
        return Sse.DataLines(await response.Content.ReadAsStringAsync());
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
