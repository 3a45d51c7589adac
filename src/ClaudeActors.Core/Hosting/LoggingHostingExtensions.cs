using Akka.Event;
using Akka.Hosting;
using Akka.Logger.Serilog;

namespace ClaudeActors.Hosting;

/// <summary>Akka's log through Serilog.</summary>
internal static class LoggingHostingExtensions
{
    /// <summary>
    /// Replaces Akka's default logger with Akka.Logger.Serilog's, with Serilog-style message templates, so actors'
    /// <c>ILoggingAdapter</c> lines and Akka's own (cluster, dead letters, ...) reach the Serilog pipeline the server
    /// set up: the static <c>Serilog.Log.Logger</c>, which <c>AddClaudeActorsSerilog</c> points at it.
    /// <paramref name="level"/> is Akka's own filter (it writes <c>akka.loglevel</c>; take it from the HOCON with
    /// <c>ClaudeActorsHocon.AkkaLogLevel</c>); Serilog's minimum level filters again.
    /// </summary>
    public static AkkaConfigurationBuilder WithSerilogLogging(this AkkaConfigurationBuilder builder, LogLevel level = LogLevel.InfoLevel) =>
        builder.ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = level;
            loggers.ClearLoggers();
            loggers.AddSerilogLogging();
        });
}
