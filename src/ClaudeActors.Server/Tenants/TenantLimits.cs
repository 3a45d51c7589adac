using System.Globalization;
using System.Threading.RateLimiting;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;
using ClaudeActors.Usage;
using Microsoft.AspNetCore.RateLimiting;

namespace ClaudeActors.Server.Tenants;

/// <summary>
/// Per-key limits: requests per minute (ASP.NET Core's rate limiter, a sliding window of six segments per key, started
/// afresh when the keys are read again), the daily budget (today's cost in the tenant's usage ledger) and turns at once
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
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // The status page polls its data every second: that is not the key's traffic.
                if (http.Features.Get<Caller>()?.Key is not { RequestsPerMinute: > 0 } key
                    || http.Request.Path.StartsWithSegments(Status.StatusEndpoints.DataPath, StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var generation = http.RequestServices.GetRequiredService<ApiKeys>().Table.Generation;
                return RateLimitPartition.GetSlidingWindowLimiter($"{key.Hash}:{generation}", _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = key.RequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                });
            });
            options.OnRejected = (context, cancellationToken) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(10);
                var limit = context.HttpContext.Features.Get<Caller>()?.Key?.RequestsPerMinute;
                return new ValueTask(TooMany(
                    context.HttpContext,
                    wait,
                    $"This API key may make {limit} requests per minute; try again in {Seconds(wait)} s.",
                    "rate_limit_exceeded"));
            };
        });
        return services;
    }

    /// <summary>The limits, after the key check: requests per minute, then turns at once.</summary>
    public static WebApplication UseTenantLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.Use(async (http, next) =>
        {
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
                var spent = (await usage.GetAsync(key.Tenant, today, today, http.RequestAborted)).Days.Sum(day => day.Amount.CostUsd);
                if (spent >= key.DailyBudgetUsd)
                {
                    var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    var wait = midnight - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    http.Response.Headers.RetryAfter = Seconds(wait);
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
        http.Response.Headers.RetryAfter = Seconds(wait);
        return OpenAiErrors.Json(StatusCodes.Status429TooManyRequests, message, "rate_limit_error", code: code).ExecuteAsync(http);
    }

    private static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
