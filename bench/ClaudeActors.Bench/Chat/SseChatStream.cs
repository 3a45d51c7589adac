using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Chat;

/// <summary>
/// Reads a streamed chat completion as raw server-sent events. Time to first token ends at the first chunk whose
/// <c>delta.content</c> is not empty; total ends at <c>data: [DONE]</c>.
/// </summary>
internal static class SseChatStream
{
    private const string DataPrefix = "data: ";

    public static async Task<(Sample Sample, string Text)> ReadAsync(
        StreamReader reader, Stopwatch stopwatch, Func<string, bool> isExpected, CancellationToken cancellationToken)
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
                var answer = text.ToString();
                return firstToken is { } ttft && isExpected(answer)
                    ? (Sample.Ok(ttft, total), answer)
                    : (Sample.Failed(total, $"unexpected answer: '{answer}'"), answer);
            }

            using var chunk = JsonDocument.Parse(data);
            if (chunk.RootElement.TryGetProperty("error", out var error))
            {
                return (Sample.Failed(stopwatch.Elapsed, "error event: " + error.GetRawText()), text.ToString());
            }

            var content = ContentOf(chunk.RootElement);
            if (content.Length > 0)
            {
                firstToken ??= stopwatch.Elapsed;
                text.Append(content);
            }
        }

        return (Sample.Failed(stopwatch.Elapsed, "the stream ended without data: [DONE]"), text.ToString());
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
