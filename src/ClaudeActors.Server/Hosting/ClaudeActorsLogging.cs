using ClaudeActors.Server.Telemetry;
using ClaudeActors.Telemetry;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace ClaudeActors.Server.Hosting;

/// <summary>
/// The one Serilog pipeline: ASP.NET Core and our <c>ILogger&lt;T&gt;</c> log through it (Serilog.AspNetCore's
/// <c>AddSerilog</c>), and so does Akka (Akka.Logger.Serilog, which writes to the static <see cref="Log.Logger"/>, see
/// <c>WithSerilogLogging</c>). Console lines look like <c>[12:34:56 INF] Category: message (request id)</c>, or are one
/// JSON object each with <see cref="FormatKey"/> = Json. Every line logged while a request runs carries its id
/// (<c>RequestId</c>, see <c>RequestTelemetry</c>).
/// </summary>
internal static class ClaudeActorsLogging
{
    public const string LevelKey = LoggingOptions.SectionName + ":" + nameof(LoggingOptions.Level);

    public const string FormatKey = LoggingOptions.SectionName + ":" + nameof(LoggingOptions.Format);

    /// <summary>The level when <see cref="LevelKey"/> is not set or not a Serilog level.</summary>
    public const LogEventLevel DefaultLevel = LogEventLevel.Information;

    public const string OutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{RequestIdSuffix:l}{NewLine}{Exception}";

    /// <summary>The console's format, from <see cref="FormatKey"/> (Text when not set or not a format).</summary>
    public static LogFormat Format(IConfiguration configuration) =>
        Enum.TryParse<LogFormat>(configuration[FormatKey], ignoreCase: true, out var format) ? format : LogFormat.Text;

    /// <summary>The console's minimum level, from <see cref="LevelKey"/>.</summary>
    public static LogEventLevel Level(IConfiguration configuration) =>
        Enum.TryParse<LogEventLevel>(configuration[LevelKey], ignoreCase: true, out var level) ? level : DefaultLevel;

    /// <summary>
    /// Makes Serilog the logging provider of <paramref name="services"/>, at the level <see cref="LevelKey"/> sets, and
    /// the static <see cref="Log.Logger"/> that Akka.Logger.Serilog writes to. Providers added to the
    /// <c>ILoggerFactory</c> later (tests capture logs so) receive Information and above whatever the console level;
    /// <paramref name="configure"/> may add sinks.
    /// </summary>
    /// <remarks>
    /// The static logger is process-wide: with several applications in one process (tests), Akka's lines go to the
    /// pipeline of the one built last. Our own <c>ILogger&lt;T&gt;</c> lines always go to their application's pipeline.
    /// </remarks>
    public static Serilog.Core.Logger AddClaudeActorsSerilog(
        this IServiceCollection services, IConfiguration configuration, Action<LoggerConfiguration>? configure = null)
    {
        var level = Level(configuration);
        var captured = (LogEventLevel)Math.Min((int)level, (int)LogEventLevel.Information);
        var providers = new LoggerProviderCollection();
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(captured)
            .MinimumLevel.Override("Microsoft.AspNetCore", (LogEventLevel)Math.Max((int)level, (int)LogEventLevel.Warning))
            .MinimumLevel.Override("Microsoft.Hosting", level)
            .Enrich.FromLogContext()
            .Enrich.With<RequestIdEnricher>();
        logger = Format(configuration) == LogFormat.Json
            ? logger.WriteTo.Console(new RenderedCompactJsonFormatter(), restrictedToMinimumLevel: level)
            : logger.Enrich.With<RequestIdSuffix>().WriteTo.Console(outputTemplate: OutputTemplate, restrictedToMinimumLevel: level);
        logger = logger
            .WriteTo.Providers(providers, restrictedToMinimumLevel: captured);
        configure?.Invoke(logger);
        var created = logger.CreateLogger();

        services.AddLogging(logging => logging.ClearProviders());
        services.AddSerilog(created, dispose: true, providers);
        Log.Logger = created;
        return created;
    }
}
