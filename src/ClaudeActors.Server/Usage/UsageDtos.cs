using System.Text.Json.Serialization;

namespace ClaudeActors.Server.Usage;

/// <summary>The answer of <c>GET /v1/usage</c>: one row per tenant and UTC day with usage.</summary>
internal sealed record UsageList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("data")] IReadOnlyList<UsageRow> Data);

/// <summary>A tenant's usage on one UTC day, and each of its keys' that day (by name).</summary>
internal sealed record UsageRow(
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("cached_tokens")] long CachedTokens,
    [property: JsonPropertyName("cache_creation_tokens")] long CacheCreationTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cost_usd")] double CostUsd,
    [property: JsonPropertyName("keys")] IReadOnlyList<KeyUsageRow> Keys);

/// <summary>One API key's usage within its tenant's day.</summary>
internal sealed record KeyUsageRow(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("cached_tokens")] long CachedTokens,
    [property: JsonPropertyName("cache_creation_tokens")] long CacheCreationTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cost_usd")] double CostUsd);
