namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// What the Session API showed of one conversation's process after its first and after its last turn, and whether every
/// answer named the same conversation in <c>X-Session-Id</c>. One warm process for the whole conversation is: one start
/// at both points, the same pid.
/// </summary>
internal sealed record ProcessCheck(string Conversation, string? SessionId, SessionProcessInfo? AfterFirst, SessionProcessInfo? AfterLast, bool IdKept)
{
    public bool OneWarmProcess =>
        IdKept
        && AfterFirst is { Starts: 1, Pid: not null }
        && AfterLast is { Starts: 1 }
        && AfterFirst.Pid == AfterLast.Pid;

    /// <summary>For the report and the progress lines, e.g. <c>1 → 1 (pid 4242)</c>.</summary>
    public string Describe() => $"{Starts(AfterFirst)} → {Starts(AfterLast)}{Pids()}{(IdKept ? "" : ", X-Session-Id changed")}";

    private static string Starts(SessionProcessInfo? info) => info?.Starts.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    private string Pids() => AfterFirst?.Pid == AfterLast?.Pid ? $" (pid {AfterLast?.Pid})" : $" (pid {AfterFirst?.Pid} → {AfterLast?.Pid})";
}
