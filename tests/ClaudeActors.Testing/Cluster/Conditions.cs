namespace ClaudeActors.Testing.Cluster;

/// <summary>Waiting for a condition that another process makes true, with a generous time-out and a clear failure.</summary>
public static class Conditions
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Calls <paramref name="check"/> until it returns true; throws <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> (and the last exception <paramref name="check"/> threw) after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitAsync(string what, TimeSpan timeout, Func<Task<bool>> check, Func<string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        using var deadline = new CancellationTokenSource(timeout);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await check().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
            {
                last = e;
            }

            try
            {
                await Task.Delay(Poll, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                var detail = describe?.Invoke();
                throw new TimeoutException(
                    $"Waited {timeout} for {what}." + (last is null ? "" : $" Last error: {last.Message}") + (detail is null ? "" : "\n" + detail));
            }
        }
    }
}
