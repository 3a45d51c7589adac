using System.Globalization;
using ClaudeActors.Server.OpenAi;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;
using ClaudeActors.Tenants;
using ClaudeActors.Usage;

namespace ClaudeActors.Server.Usage;

/// <summary>
/// <c>GET /v1/usage?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c>: the caller's tenant's requests (turns), tokens and cost by UTC
/// day, and each key's (by name; another key of the tenant sees only its own, an admin all) within the day, from the
/// persisted usage ledgers (default: the 30 days up to today). An admin key gets every configured tenant's,
/// or one tenant's with <c>tenant=</c>.
/// </summary>
internal static class UsageEndpoints
{
    public const int DefaultDays = 30;

    public const int MaxDays = 366;

    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder group)
    {
        group.MapGet("/usage", GetAsync);
        return group;
    }

    private static async Task<IResult> GetAsync(HttpContext http, UsageClient usage, ApiKeys keys, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var to = usage.Today;
        if (query.ContainsKey("to") && !TryDay(query["to"], out to))
        {
            return Invalid("to");
        }

        var from = to.AddDays(1 - DefaultDays);
        if (query.ContainsKey("from") && !TryDay(query["from"], out from))
        {
            return Invalid("from");
        }

        if (from > to || to.DayNumber - from.DayNumber >= MaxDays)
        {
            return OpenAiErrors.Json(400, $"from must not be after to, and the range at most {MaxDays} days.", "invalid_request_error", "from", "invalid_query");
        }

        var caller = http.Caller();
        IReadOnlyList<string> tenants;
        if (query.TryGetValue("tenant", out var named))
        {
            if (!caller.IsAdmin && named.ToString() != caller.Tenant)
            {
                return OpenAiErrors.Json(403, "Only an admin key may read another tenant's usage.", "permission_error", "tenant", "tenant_not_allowed");
            }

            tenants = [named.ToString()];
        }
        else
        {
            tenants = caller.SeesAll ? KnownTenants(keys.Table) : [caller.Tenant];
        }

        var rows = new List<UsageRow>();
        foreach (var tenant in tenants)
        {
            var report = await usage.GetAsync(tenant, from, to, cancellationToken);
            rows.AddRange(report.Days.Select(day => new UsageRow(
                tenant,
                Day(day.Day),
                day.Amount.Requests,
                day.Amount.InputTokens,
                day.Amount.CachedTokens,
                day.Amount.CacheCreationTokens,
                day.Amount.OutputTokens,
                day.Amount.CostUsd,
                [.. (day.Keys ?? []).Where(key => caller.IsAdmin || key.Key == caller.Key?.UsageName).Select(KeyRow)])));
        }

        return TypedResults.Json(new UsageList("list", Day(from), Day(to), rows), OpenAiJson.Options);
    }

    private static KeyUsageRow KeyRow(KeyUsage key) => new(
        key.Key,
        key.Amount.Requests,
        key.Amount.InputTokens,
        key.Amount.CachedTokens,
        key.Amount.CacheCreationTokens,
        key.Amount.OutputTokens,
        key.Amount.CostUsd);

    /// <summary>The tenants of the configured keys, and the default tenant (conversations from before keys, an open server).</summary>
    private static IReadOnlyList<string> KnownTenants(KeyTable table) =>
        [.. table.Tenants.Append(ConversationKey.DefaultTenant).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static bool TryDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IResult Invalid(string param) =>
        OpenAiErrors.Json(400, $"{param} must be one date, YYYY-MM-DD.", "invalid_request_error", param, "invalid_query");
}
