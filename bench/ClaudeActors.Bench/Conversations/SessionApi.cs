using System.Net;
using System.Text.Json;

namespace ClaudeActors.Bench.Conversations;

/// <summary>The Session API as the bench uses it: a conversation's process, and deleting a conversation.</summary>
internal static class SessionApi
{
    /// <summary><c>DELETE /v1/sessions/{id}</c>: ends the process, removes the journal rows. False when it did not exist.</summary>
    public static async Task<bool> DeleteAsync(HttpClient http, string sessionId, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync("v1/sessions/" + Uri.EscapeDataString(sessionId), cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary><c>GET /v1/sessions/{id}</c>: the conversation's process.</summary>
    /// <remarks>Null when the server does not know the id (or answered oddly).</remarks>
    public static async Task<SessionProcessInfo?> GetAsync(HttpClient http, string sessionId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("v1/sessions/" + Uri.EscapeDataString(sessionId), cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (!json.RootElement.TryGetProperty("process", out var process) || process.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        int? pid = process.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
        var warm = process.TryGetProperty("warm", out var w) && w.ValueKind == JsonValueKind.True;
        var starts = process.TryGetProperty("starts", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
        return new SessionProcessInfo(pid, warm, starts);
    }
}
