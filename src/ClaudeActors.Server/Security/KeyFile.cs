using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace ClaudeActors.Server.Security;

/// <summary>
/// The keys file: <c>{"keys": [{"tenant": "team-a", "hash": "sha256:...", "admin": false, "requests_per_minute": 60,
/// "max_concurrent_turns": 2}]}</c>. Property names are taken in snake_case or as the setting names.
/// </summary>
internal static class KeyFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonSerializerOptions SnakeJson = new(Json) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The file's keys; throws <see cref="InvalidDataException"/> naming the file and what is wrong.</summary>
    public static IReadOnlyList<ApiKeyOptions> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The keys file '{path}' cannot be read: {ex.Message}", ex);
        }

        Document? document;
        try
        {
            document = Parse(text);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The keys file '{path}' is not valid: {ex.Message}", ex);
        }

        var keys = document?.Keys ?? throw new InvalidDataException($"The keys file '{path}' has no \"keys\" list.");
        for (var i = 0; i < keys.Count; i++)
        {
            var results = new List<ValidationResult>();
            if (keys[i] is null || !Validator.TryValidateObject(keys[i], new ValidationContext(keys[i]), results, validateAllProperties: true))
            {
                var why = keys[i] is null ? "null" : string.Join("; ", results.Select(r => r.ErrorMessage));
                throw new InvalidDataException($"The keys file '{path}': key {i}: {why}");
            }
        }

        return keys;
    }

    private static Document? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<Document>(text, SnakeJson);
        }
        catch (JsonException)
        {
            // The setting names (RequestsPerMinute) instead of snake_case.
            return JsonSerializer.Deserialize<Document>(text, Json);
        }
    }

    private sealed class Document
    {
        public List<ApiKeyOptions>? Keys { get; set; }
    }
}
