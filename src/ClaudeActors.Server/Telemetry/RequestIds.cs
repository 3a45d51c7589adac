using System.Diagnostics;

namespace ClaudeActors.Server.Telemetry;

/// <summary>The request id: the client's <c>x-request-id</c> when it is sane, else the trace id (or a new id).</summary>
internal static class RequestIds
{
    public const string Header = "x-request-id";

    /// <summary>The longest client id taken.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// <paramref name="offered"/> when it is 1 to <see cref="MaxLength"/> visible ASCII characters (no spaces, no
    /// control characters: it goes into logs and headers as it is); otherwise the current trace id, or a new id.
    /// </summary>
    public static string Choose(string? offered) =>
        IsSane(offered) ? offered! : Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");

    public static bool IsSane(string? offered) =>
        offered is { Length: > 0 and <= MaxLength } && offered.All(c => c is > ' ' and <= '~');
}
