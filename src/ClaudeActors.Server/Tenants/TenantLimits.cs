using System.Globalization;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;
using ClaudeActors.Usage;

namespace ClaudeActors.Server.Tenants;

/// <summary>
/// Per-key limits: requests per minute (<see cref="RequestWindows"/>, a sliding log per key, started afresh when the
/// keys are read again), the daily budget (the key's cost today in its tenant's usage ledger) and turns at once
/// (<see cref="ConcurrentTurns"/>). Over one: 429 with <c>Retry-After</c>, in OpenAI's shape (Anthropic's under
/// <c>/v1/messages</c>).
/// </summary>
internal static class TenantLimits
{
    /// <summary>The POST paths that run a turn.</summary>
    private static readonly string[] TurnPaths = ["/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/messages"];

    /// <summary>Whether a POST to <paramref name="path"/> runs a turn; routing takes a trailing '/' as the same path.</summary>
    internal static bool RunsTurn(PathString path)
    {
        var trimmed = (path.Value ?? "").TrimEnd('/');
        return TurnPaths.Any(p => trimmed.Equals(p, StringComparison.OrdinalIgnoreCase));
    }

    public static IServiceCollection AddTenantLimits(this IServiceCollection services)
    {
        services.AddSingleton<ConcurrentTurns>();
        services.AddSingleton<RequestWindows>();
        return services;
    }

    /// <summary>The limits, after the key check: requests per minute, then turns at once.</summary>
    public static WebApplication UseTenantLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            // The status page polls its data every second: that is not the key's traffic.
            if (http.Features.Get<Caller>()?.Key is { RequestsPerMinute: > 0 } limited
                && !http.Request.Path.StartsWithSegments(Status.StatusEndpoints.DataPath, StringComparison.OrdinalIgnoreCase)
                && http.RequestServices.GetRequiredService<RequestWindows>().TryAdmit(
                    limited.Hash, http.RequestServices.GetRequiredService<ApiKeys>().Table.Generation, limited.RequestsPerMinute) is { } retry)
            {
                await TooMany(
                    http,
                    retry,
                    $"This API key may make {limited.RequestsPerMinute} requests per minute; try again in {OpenAiErrors.RetryAfterSeconds(retry)} s.",
                    "rate_limit_exceeded");
                return;
            }

            if (!HttpMethods.IsPost(http.Request.Method)
                || !RunsTurn(http.Request.Path)
                || http.Features.Get<Caller>()?.Key is not { } key
                || (key.MaxConcurrentTurns == 0 && key.DailyBudgetUsd == 0))
            {
                await next(http);
                return;
            }

            if (key.DailyBudgetUsd > 0)
            {
                var usage = http.RequestServices.GetRequiredService<UsageClient>();
                var today = usage.Today;
                var spent = (await usage.GetAsync(key.Tenant, today, today, http.RequestAborted)).Days.Sum(day => day.OfKey(key.UsageName).CostUsd);
                if (spent >= key.DailyBudgetUsd)
                {
                    var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    var wait = midnight - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    http.Response.Headers.RetryAfter = OpenAiErrors.RetryAfterSeconds(wait);
                    await OpenAiErrors.Json(
                        StatusCodes.Status429TooManyRequests,
                        $"This API key's daily budget of {key.DailyBudgetUsd.ToString(CultureInfo.InvariantCulture)} USD is spent ({spent.ToString("0.######", CultureInfo.InvariantCulture)} USD today); it renews at midnight UTC.",
                        "insufficient_quota",
                        code: "daily_budget_exceeded").ExecuteAsync(http);
                    return;
                }
            }

            var turns = http.RequestServices.GetRequiredService<ConcurrentTurns>();
            if (key.MaxConcurrentTurns == 0)
            {
                await next(http);
                return;
            }

            if (!turns.TryEnter(key.Hash, key.MaxConcurrentTurns))
            {
                await TooMany(
                    http,
                    TimeSpan.FromSeconds(1),
                    $"This API key may run {key.MaxConcurrentTurns} turns at once; wait for one to end.",
                    "concurrency_limit_exceeded");
                return;
            }

            try
            {
                await next(http);
            }
            finally
            {
                turns.Exit(key.Hash);
            }
        });
        return app;
    }

    private static Task TooMany(HttpContext http, TimeSpan wait, string message, string code)
    {
        http.Response.Headers.RetryAfter = OpenAiErrors.RetryAfterSeconds(wait);
        return OpenAiErrors.Json(StatusCodes.Status429TooManyRequests, message, "rate_limit_error", code: code).ExecuteAsync(http);
    }
}
