using System.Globalization;
using ClaudeActors.Chat;

namespace ClaudeActors.Server.Usage;

/// <summary>
/// The latest subscription rate-limit state the CLI reported (<c>rate_limit_event</c>) on this node, for the status
/// page; and the response headers that pass it on to clients.
/// </summary>
internal sealed class SubscriptionLimits(TimeProvider time)
{
    public const string StatusHeader = "x-ratelimit-subscription-status";
    public const string UtilizationHeader = "x-ratelimit-subscription-utilization";
    public const string ResetsAtHeader = "x-ratelimit-subscription-resets-at";
    public const string WindowHeader = "x-ratelimit-subscription-window";

    private Snapshot? _latest;

    /// <summary>The latest state and when it was reported; null before any.</summary>
    public Snapshot? Latest => Volatile.Read(ref _latest);

    public void Report(ChatRateLimit limit) => Volatile.Write(ref _latest, new Snapshot(limit, time.GetUtcNow()));

    /// <summary>
    /// Sets the headers on <paramref name="response"/> just before they go out: the state the turn reported
    /// (<paramref name="ofTurn"/>; a buffered answer goes out after its turn), else the latest this node heard while its
    /// window lasts (a stream's headers go out before the CLI reports the state, which it does after the answer's
    /// first message).
    /// </summary>
    public void WriteWhenStarting(HttpResponse response, Func<ChatRateLimit?> ofTurn) => response.OnStarting(() =>
    {
        Write(response, ofTurn() ?? (Latest is { Limit: { ResetsAt: { } reset } latest } && reset > time.GetUtcNow().ToUnixTimeSeconds() ? latest : null));
        return Task.CompletedTask;
    });

    /// <summary>Sets the headers of <paramref name="limit"/> on a response whose headers are not sent yet.</summary>
    private static void Write(HttpResponse response, ChatRateLimit? limit)
    {
        if (limit is null || response.HasStarted)
        {
            return;
        }

        response.Headers[StatusHeader] = limit.Status;
        if (limit.Utilization is { } used)
        {
            response.Headers[UtilizationHeader] = used.ToString("0.####", CultureInfo.InvariantCulture);
        }

        if (limit.ResetsAt is { } reset)
        {
            response.Headers[ResetsAtHeader] = reset.ToString(CultureInfo.InvariantCulture);
        }

        if (limit.Window is { } window)
        {
            response.Headers[WindowHeader] = window;
        }
    }

    /// <summary>A reported state and when this node heard it.</summary>
    internal sealed record Snapshot(ChatRateLimit Limit, DateTimeOffset At);
}
