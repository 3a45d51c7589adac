using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// A client of a clustered server, as a careful real client is written: it streams each turn of a conversation (by
/// session id) with an <c>Idempotency-Key</c> per turn and, when a turn fails because a node went away, sends it again
/// with the same key, so the server runs and stores it once (a completed turn is replayed from the journal).
/// </summary>
/// <remarks>
/// A turn is complete only when its stream ends with <c>[DONE]</c>. Anything else (a 502/503/504 from nginx or a
/// node, a connection error, a stream that breaks before or after some bytes, an error event) makes the client read
/// the conversation (<c>GET /v1/sessions/{id}</c>, repeated while that fails too): if a recorded, completed turn holds
/// this turn's text, the turn happened and its answer is taken from there; otherwise the turn is sent again after a
/// short back-off. 4xx answers other than 429 are bugs and throw. Each turn's text is unique, so the checks that
/// follow (journal and upstream) can prove it was recorded once.
/// </remarks>
public sealed class ResilientChatClient(HttpClient http)
{
    private static readonly TimeSpan TurnDeadline = TimeSpan.FromMinutes(4);

    /// <summary>Runs one turn to its end (see the remarks) and says how it went.</summary>
    public async Task<TurnOutcome> RunTurnAsync(string sessionId, int turn, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(text);
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        for (var request = 1; ; request++)
        {
            if (clock.Elapsed > TurnDeadline)
            {
                throw new TimeoutException($"Turn {turn} of {sessionId} did not complete in {TurnDeadline}: {string.Join(" | ", failures)}");
            }

            var (answer, failure) = await SendAsync(sessionId, text, IdempotencyKey(sessionId, turn), cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                return new TurnOutcome(sessionId, turn, text, answer, request, failures, false, clock.Elapsed, DateTimeOffset.UtcNow);
            }

            failures.Add($"request {request}: {failure}");
            var recorded = await RecordedAnswerAsync(sessionId, text, failures, cancellationToken).ConfigureAwait(false);
            if (recorded is not null)
            {
                return new TurnOutcome(sessionId, turn, text, recorded, request, failures, true, clock.Elapsed, DateTimeOffset.UtcNow);
            }

            await Task.Delay(Backoff(request), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One key per (conversation, turn): every resend of the turn carries it, so the server runs and stores it once.</summary>
    private static string IdempotencyKey(string sessionId, int turn) => $"turn-{turn}-{Uri.EscapeDataString(sessionId)}";

    private async Task<(string? Answer, string? Failure)> SendAsync(string sessionId, string text, string idempotencyKey, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["model"] = "sonnet",
            ["stream"] = true,
            ["session_id"] = sessionId,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = JsonContent.Create(body) };
        message.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return (null, $"no response: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "no response: client time-out");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 400 and < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    throw new InvalidOperationException($"Turn of {sessionId} refused with {status}: {error}");
                }

                return (null, $"{status}: {Shorten(error)}");
            }

            return await ReadStreamAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(string? Answer, string? Failure)> ReadStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var answer = new System.Text.StringBuilder();
        var chunks = 0;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line["data:".Length..].Trim();
                if (data == "[DONE]")
                {
                    return (answer.ToString(), null);
                }

                chunks++;
                using var json = JsonDocument.Parse(data);
                if (json.RootElement.TryGetProperty("error", out var error))
                {
                    return (null, $"error event after {chunks} chunks: {Shorten(error.GetRawText())}");
                }

                if (json.RootElement.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
                    && choices[0].TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                    && content.ValueKind == JsonValueKind.String)
                {
                    answer.Append(content.GetString());
                }
            }

            return (null, $"stream ended without [DONE] after {chunks} chunks");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return (null, $"stream broke after {chunks} chunks: {e.Message}");
        }
    }

    /// <summary>The answer of a completed turn of <paramref name="sessionId"/> whose input holds <paramref name="text"/>, or null when none is recorded.</summary>
    private async Task<string?> RecordedAnswerAsync(string sessionId, string text, List<string> failures, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"v1/sessions/{Uri.EscapeDataString(sessionId)}", UriKind.Relative), cancellationToken)
                    .ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if (response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                    if (!json.RootElement.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Array)
                    {
                        return null;
                    }

                    foreach (var recorded in history.EnumerateArray())
                    {
                        if (recorded.GetProperty("status").GetString() == "completed"
                            && recorded.GetProperty("request").GetRawText().Contains(text, StringComparison.Ordinal))
                        {
                            return recorded.GetProperty("answer").GetString() ?? "";
                        }
                    }

                    return null;
                }

                failures.Add($"reading the conversation: {(int)response.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                failures.Add($"reading the conversation: {e.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add("reading the conversation: client time-out");
            }

            if (clock.Elapsed > TurnDeadline)
            {
                throw new TimeoutException($"Could not read {sessionId} for {TurnDeadline}: {string.Join(" | ", failures)}");
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(2000, 250 * attempt));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
