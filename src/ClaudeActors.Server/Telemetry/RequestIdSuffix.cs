using ClaudeActors.Telemetry;
using Serilog.Core;
using Serilog.Events;

namespace ClaudeActors.Server.Telemetry;

/// <summary>
/// For text log lines: <c> (req &lt;id&gt;)</c> after the message of a line logged while a request ran, nothing after
/// others (the output template names <c>RequestIdSuffix</c>; JSON lines carry <c>RequestId</c> itself).
/// </summary>
internal sealed class RequestIdSuffix : ILogEventEnricher
{
    public const string PropertyName = "RequestIdSuffix";

    private static readonly LogEventProperty None = new(PropertyName, new ScalarValue(""));

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var suffix = logEvent.Properties.TryGetValue(ClaudeActorsTelemetry.RequestIdProperty, out var id) && id is ScalarValue { Value: string text }
            ? new LogEventProperty(PropertyName, new ScalarValue($" (req {text})"))
            : None;
        logEvent.AddPropertyIfAbsent(suffix);
    }
}
