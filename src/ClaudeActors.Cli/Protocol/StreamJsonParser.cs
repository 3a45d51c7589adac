using System.Text;
using System.Text.Json;

namespace ClaudeActors.Cli.Protocol;

/// <summary>
/// Reads one stdout line of <c>--output-format stream-json</c>. Lines that are not JSON objects and types the server
/// does not act on give <c>null</c>; the CLI adds types from version to version, so unknown ones are skipped.
/// </summary>
internal static class StreamJsonParser
{
    public static CliEvent? Parse(string line)
    {
        var span = line.AsSpan().TrimStart();
        if (span.IsEmpty || span[0] != '{')
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            return GetString(root, "type") switch
            {
                "stream_event" => ParseStreamEvent(root),
                "assistant" => ParseAssistant(root),
                "system" => ParseSystem(root),
                "result" => ParseResult(root),
                "control_response" => ParseControlResponse(root),
                "control_request" => ParseControlRequest(root),
                "transcript_mirror" => ParseMirror(root),
                "conversation_reset" => new CliConversationReset(GetString(root, "new_conversation_id")),
                "rate_limit_event" => ParseRateLimit(root),
                _ => null,
            };
        }
    }

    private static CliRateLimit? ParseRateLimit(JsonElement root)
    {
        if (!root.TryGetProperty("rate_limit_info", out var info) || info.ValueKind != JsonValueKind.Object || GetString(info, "status") is not { } status)
        {
            return null;
        }

        long? resetsAt = info.TryGetProperty("resetsAt", out var reset) && reset.ValueKind == JsonValueKind.Number && reset.TryGetInt64(out var at) ? at : null;
        double? utilization = info.TryGetProperty("utilization", out var used) && used.ValueKind == JsonValueKind.Number ? used.GetDouble() : null;
        return new CliRateLimit(status, resetsAt, GetString(info, "rateLimitType"), utilization);
    }

    private static CliEvent? ParseStreamEvent(JsonElement root)
    {
        if (IsSubagent(root) || !root.TryGetProperty("event", out var ev))
        {
            return null;
        }

        switch (GetString(ev, "type"))
        {
            case "content_block_delta" when ev.TryGetProperty("delta", out var delta):
                switch (GetString(delta, "type"))
                {
                    case "text_delta":
                        var text = GetString(delta, "text");
                        return string.IsNullOrEmpty(text) ? null : new CliTextDelta(text);
                    case "input_json_delta":
                        var json = GetString(delta, "partial_json");
                        return string.IsNullOrEmpty(json) ? null : new CliToolInputDelta((int)(GetInt64(ev, "index") ?? 0), json);
                }

                return null;
            case "content_block_start" when ev.TryGetProperty("content_block", out var block) && GetString(block, "type") == "tool_use":
                return new CliToolUseStart((int)(GetInt64(ev, "index") ?? 0), GetString(block, "id") ?? "", GetString(block, "name") ?? "");
            case "message_start" when ev.TryGetProperty("message", out var message):
                return new CliMessageStart(message.TryGetProperty("usage", out var usage) ? ReadUsage(usage) : CliUsage.Zero);
            case "message_delta":
                var stop = ev.TryGetProperty("delta", out var d) ? GetString(d, "stop_reason") : null;
                var output = ev.TryGetProperty("usage", out var u) ? GetInt64(u, "output_tokens") : null;
                return new CliMessageDelta(stop, output);
        }

        return null;
    }

    private static CliUsage ReadUsage(JsonElement u) =>
        u.ValueKind != JsonValueKind.Object
            ? CliUsage.Zero
            : new CliUsage(
                GetInt64(u, "input_tokens") ?? 0,
                GetInt64(u, "output_tokens") ?? 0,
                GetInt64(u, "cache_read_input_tokens") ?? 0,
                GetInt64(u, "cache_creation_input_tokens") ?? 0);

    private static CliEvent? ParseControlRequest(JsonElement root)
    {
        if (!root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new CliControlRequest(GetString(root, "request_id") ?? "", GetString(request, "subtype") ?? "", request.Clone());
    }

    private static CliEvent? ParseAssistant(JsonElement root)
    {
        if (IsSubagent(root) || !root.TryGetProperty("message", out var message))
        {
            return null;
        }

        var text = new StringBuilder();
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (GetString(block, "type") == "text")
                {
                    text.Append(GetString(block, "text"));
                }
            }
        }

        return new CliAssistantMessage(text.ToString(), GetString(message, "model"));
    }

    private static CliEvent? ParseSystem(JsonElement root) => GetString(root, "subtype") switch
    {
        "init" => new CliInit(GetString(root, "session_id") ?? "", GetString(root, "model")),
        "api_retry" => new CliApiRetry(
            (int)(GetInt64(root, "attempt") ?? 0),
            (int?)GetInt64(root, "error_status"),
            GetInt64(root, "retry_delay_ms")),
        "model_fallback" when GetString(root, "fallback_model") is { Length: > 0 } fallback =>
            new CliModelFallback(GetString(root, "original_model"), fallback, GetString(root, "trigger")),
        _ => null,
    };

    private static CliResult ParseResult(JsonElement root)
    {
        var usage = CliUsage.Zero;
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            usage = new CliUsage(
                GetInt64(u, "input_tokens") ?? 0,
                GetInt64(u, "output_tokens") ?? 0,
                GetInt64(u, "cache_read_input_tokens") ?? 0,
                GetInt64(u, "cache_creation_input_tokens") ?? 0);
        }

        var errors = new List<string>();
        if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                errors.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
            }
        }

        return new CliResult
        {
            Subtype = GetString(root, "subtype") ?? "",
            IsError = root.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True,
            Result = GetString(root, "result"),
            SessionId = GetString(root, "session_id"),
            Usage = usage,
            StopReason = GetString(root, "stop_reason"),
            TerminalReason = GetString(root, "terminal_reason"),
            ApiErrorStatus = (int?)GetInt64(root, "api_error_status"),
            ApiErrorType = GetString(root, "api_error_type"),
            Errors = errors,
            TotalCostUsd = root.TryGetProperty("total_cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDouble() : null,
            DurationMs = GetInt64(root, "duration_ms"),
        };
    }

    private static CliEvent? ParseControlResponse(JsonElement root)
    {
        if (!root.TryGetProperty("response", out var response))
        {
            return null;
        }

        return new CliControlResponse(
            GetString(response, "request_id") ?? "",
            GetString(response, "subtype") == "success",
            GetString(response, "error"));
    }

    private static CliTranscriptMirror ParseMirror(JsonElement root)
    {
        var entries = new List<JsonElement>();
        if (root.TryGetProperty("entries", out var e) && e.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in e.EnumerateArray())
            {
                entries.Add(entry.Clone());
            }
        }

        return new CliTranscriptMirror(GetString(root, "filePath"), entries);
    }

    private static bool IsSubagent(JsonElement root) =>
        root.TryGetProperty("parent_tool_use_id", out var parent) && parent.ValueKind == JsonValueKind.String;

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? StringOf(value)
            : null;

    /// <summary>
    /// A string's text. Node may cut a string inside an emoji and write half a surrogate pair as an escape, which
    /// System.Text.Json refuses to decode; such text is unescaped as it stands rather than lost.
    /// </summary>
    private static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = value.GetRawText();
            return System.Text.RegularExpressions.Regex.Unescape(raw[1..^1]);
        }
    }

    private static long? GetInt64(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
