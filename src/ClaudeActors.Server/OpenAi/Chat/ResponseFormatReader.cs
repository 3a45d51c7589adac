using System.Text.Json;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Reads <c>response_format</c> into the JSON Schema the answer must satisfy (null for free text). <c>json_object</c> is
/// the schema of any object; <c>json_schema</c> must describe an object at its root, because the CLI returns structured
/// output as the input of a tool, which is always an object. Whether the schema itself is valid JSON Schema is checked by
/// the CLI (Ajv), whose words reach the client as a 400 (<c>CliFailureClassifier</c>).
/// </summary>
internal static class ResponseFormatReader
{
    /// <summary>The schema a <c>json_object</c> answer satisfies: any JSON object.</summary>
    public const string AnyObjectSchema = """{"type":"object"}""";

    /// <summary>The longest schema taken, in characters: it goes to the CLI on its command line (128 KiB per argument).</summary>
    public const int MaxSchemaLength = 64 * 1024;

    // The schema is read by the CLI, not put in HTML: quotes and non-ASCII text stay as they are.
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Param = "response_format";
    private const string SchemaParam = "response_format.json_schema";
    private const string InvalidSchemaCode = "invalid_json_schema";
    private const int MaxNameLength = 64;

    public static string? Read(JsonElement root)
    {
        if (!root.TryGetProperty(Param, out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("response_format must be an object, such as {\"type\": \"json_object\"}.", Param);
        }

        if (!format.TryGetProperty("type", out var typeValue) || typeValue.ValueKind != JsonValueKind.String)
        {
            throw new RequestValidationException("response_format.type is required: text, json_object or json_schema.", Param + ".type");
        }

        return typeValue.GetString() switch
        {
            "text" => null,
            "json_object" => AnyObjectSchema,
            "json_schema" => ReadJsonSchema(format),
            var other => throw new RequestValidationException(
                $"response_format.type '{other}' is not one of text, json_object, json_schema.", Param + ".type"),
        };
    }

    private static string ReadJsonSchema(JsonElement format)
    {
        if (!format.TryGetProperty("json_schema", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException(
                "response_format.json_schema is required with type json_schema: an object with a name and a schema.", SchemaParam);
        }

        var name = spec.TryGetProperty("name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new RequestValidationException(
                $"response_format.json_schema.name is required: 1 to {MaxNameLength} letters, digits, '_' or '-'.", SchemaParam + ".name");
        }

        if (spec.TryGetProperty("strict", out var strict) && strict.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            throw new RequestValidationException("response_format.json_schema.strict must be true or false.", SchemaParam + ".strict");
        }

        if (!spec.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
        {
            // OpenAI makes the schema optional: without one, any object.
            return AnyObjectSchema;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException(
                "response_format.json_schema.schema must be a JSON Schema object.", SchemaParam + ".schema", InvalidSchemaCode);
        }

        if (!schema.TryGetProperty("type", out var rootType) || rootType.ValueKind != JsonValueKind.String || rootType.GetString() != "object")
        {
            throw new RequestValidationException(
                "response_format.json_schema.schema must describe a JSON object at its root (\"type\": \"object\"): "
                + "the answer is returned as the input of a tool, which is always an object. Wrap other values in a property.",
                SchemaParam + ".schema",
                InvalidSchemaCode);
        }

        string text;
        try
        {
            // Compact, whatever the client's formatting. The format's description tells the model what the answer is
            // for: it goes to the root of the schema (the tool's input schema the model sees) unless that has one.
            var node = System.Text.Json.Nodes.JsonNode.Parse(schema.GetRawText())!.AsObject();
            if (spec.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String
                && !node.ContainsKey("description"))
            {
                node["description"] = description.GetString();
            }

            text = node.ToJsonString(WriteOptions);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new RequestValidationException(
                "response_format.json_schema.schema holds invalid text (an unpaired surrogate escape).", SchemaParam + ".schema", InvalidSchemaCode);
        }

        if (text.Length > MaxSchemaLength)
        {
            throw new RequestValidationException(
                $"response_format.json_schema.schema is too large: at most {MaxSchemaLength} characters of compact JSON.",
                SchemaParam + ".schema",
                InvalidSchemaCode);
        }

        return text;
    }
}
