using System.Text.Json;

namespace ClaudeActors.Server.Status;

/// <summary>
/// What an error answer said: its message, type and code, read from the OpenAI shape
/// (<c>{"error":{"message","type","code"}}</c>) or the Anthropic one (<c>{"type":"error","error":{"type","message"}}</c>).
/// </summary>
internal sealed record ErrorBody(string? Message, string? Type, string? Code)
{
    /// <summary>The error in <paramref name="body"/>, or null when it is not JSON in either shape (or cut short).</summary>
    public static ErrorBody? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new ErrorBody(Text(error, "message"), Text(error, "type"), Text(error, "code"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement error, string name) =>
        error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
