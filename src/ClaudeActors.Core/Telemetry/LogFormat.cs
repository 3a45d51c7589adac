namespace ClaudeActors.Telemetry;

/// <summary>How log lines are written (<see cref="LoggingOptions.Format"/>).</summary>
internal enum LogFormat
{
    /// <summary><c>[12:34:56 INF] Category: message (request id)</c>.</summary>
    Text,

    /// <summary>One JSON object per line (Serilog's rendered compact JSON: <c>@t</c>, <c>@l</c>, <c>@m</c>, properties).</summary>
    Json,
}
