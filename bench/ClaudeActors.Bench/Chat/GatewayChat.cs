using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Chat;

/// <summary>
/// A client of our server: <c>POST /v1/chat/completions</c> with a body that asks for <c>"stream": true</c>, read as raw
/// server-sent events (<see cref="SseChatStream"/>), timed from the moment the request is sent.
/// </summary>
internal sealed class GatewayChat(HttpClient http, TimeSpan requestTimeout)
{
    private const string SessionHeader = "X-Session-Id";

    public async Task<ChatReply> StreamAsync(string body, Func<string, bool> isExpected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var session = response.Headers.TryGetValues(SessionHeader, out var values) ? values.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadAsStringAsync(timeout.Token);
                return new ChatReply(Sample.Failed(stopwatch.Elapsed, $"HTTP {(int)response.StatusCode}: {error}"), "", session);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var (sample, text) = await SseChatStream.ReadAsync(new StreamReader(stream, Encoding.UTF8), stopwatch, isExpected, timeout.Token);
            return new ChatReply(sample, text, session);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChatReply(Sample.Failed(stopwatch.Elapsed, $"no [DONE] within {requestTimeout.TotalSeconds:0} s"), "", null);
        }
        catch (HttpRequestException ex)
        {
            return new ChatReply(Sample.Failed(stopwatch.Elapsed, ex.Message), "", null);
        }
    }
}
