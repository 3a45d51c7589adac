using Serilog.Core;
using Serilog.Events;

namespace ClaudeActors.Server.Status;

/// <summary>
/// A Serilog sink that lists the server's warnings and errors (ours, ASP.NET Core's and Akka's: one pipeline) among the
/// status page's recent errors, with the logger's category and the exception's type.
/// </summary>
internal sealed class LogErrorSink(RecentActivity activity) : ILogEventSink
{
    /// <summary>The lowest level listed.</summary>
    public const LogEventLevel Level = LogEventLevel.Warning;

    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Level < Level)
        {
            return;
        }

        var category = logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out var source) && source is ScalarValue { Value: string name }
            ? name
            : "server";
        var message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (logEvent.Exception is { } exception)
        {
            message += $" ({exception.GetType().Name})";
        }

        activity.AddLogged(logEvent.Timestamp.ToUniversalTime(), logEvent.Level >= LogEventLevel.Error ? "error" : "warning", category, message);
    }
}
