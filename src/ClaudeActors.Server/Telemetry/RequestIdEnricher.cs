using ClaudeActors.Telemetry;
using Serilog.Core;
using Serilog.Events;

namespace ClaudeActors.Server.Telemetry;

/// <summary>
/// Puts the current request's id (<see cref="RequestContext"/>, set by <see cref="RequestTelemetry"/> and, in the
/// conversation entity, from the turn message) on every log line as <c>RequestId</c>. It replaces ASP.NET Core's own
/// <c>RequestId</c> (the connection-based trace identifier its logging scope carries, taken before our id is known).
/// </summary>
internal sealed class RequestIdEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (RequestContext.RequestId is { } id)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(ClaudeActorsTelemetry.RequestIdProperty, new ScalarValue(id)));
        }
    }
}
