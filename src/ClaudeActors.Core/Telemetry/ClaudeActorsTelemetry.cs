using System.Diagnostics;

namespace ClaudeActors.Telemetry;

/// <summary>
/// The names our telemetry is published under, and the one <see cref="ActivitySource"/> of the server's own spans
/// (HTTP spans come from ASP.NET Core). Turn spans cross the actor boundary, and nodes, as a W3C <c>traceparent</c>
/// carried in the turn message (<see cref="TurnTrace"/>).
/// </summary>
internal static class ClaudeActorsTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of every ClaudeActors instrument.</summary>
    public const string MeterName = "ClaudeActors";

    /// <summary>The <see cref="ActivitySource"/> of every ClaudeActors span.</summary>
    public const string ActivitySourceName = "ClaudeActors";

    /// <summary>The span of a conversation turn inside its entity (on the node that runs the conversation).</summary>
    public const string ConversationTurnSpan = "conversation.turn";

    /// <summary>The span of one turn under the supervisor: every attempt, retries included.</summary>
    public const string TurnSpan = "turn";

    /// <summary>The span of one attempt of a turn against the CLI.</summary>
    public const string CliAttemptSpan = "cli.turn";

    /// <summary>The tag (and log property) holding the request id.</summary>
    public const string RequestIdTag = "request.id";

    /// <summary>The log property every line of a request carries.</summary>
    public const string RequestIdProperty = "RequestId";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// Starts a span under the <c>traceparent</c> in <paramref name="parent"/> (a span of another thread or node), or
    /// under <see cref="Activity.Current"/> when there is none or it does not parse. Null when nobody listens.
    /// </summary>
    public static Activity? StartUnder(string name, string? parent, ActivityKind kind = ActivityKind.Internal) =>
        parent is not null && ActivityContext.TryParse(parent, null, isRemote: true, out var context)
            ? Source.StartActivity(name, kind, context)
            : Source.StartActivity(name, kind);
}
