using ClaudeActors.Cli;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.Hosting;

/// <summary>What the server says once it has started about settings that weaken it: no API keys, a spending cap for every turn.</summary>
internal static partial class StartupWarnings
{
    public static WebApplication WarnAtStart(this WebApplication app, bool open)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ClaudeActors.Server.Startup");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Read once started: the options were validated then, and a bad value stopped the start instead.
            var cap = app.Services.GetRequiredService<IOptions<CliOptions>>().Value.MaxBudgetUsd;
            if (open)
            {
                Log.NoKeys(logger);
            }

            if (cap is { } usd)
            {
                Log.EveryTurnCapped(logger, usd);
            }
        });
        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(1120, LogLevel.Warning, "No API keys are configured: anyone on this machine can use the subscription through this server, which listens on loopback only")]
        public static partial void NoKeys(ILogger logger);

        [LoggerMessage(1121, LogLevel.Warning, "Cli:MaxBudgetUsd caps every request at {Usd} USD: each conversation turn then runs on a CLI process started for it (--max-budget-usd counts per process), so conversations keep no warm process; cap single requests with max_budget_usd instead")]
        public static partial void EveryTurnCapped(ILogger logger, double usd);
    }
}
