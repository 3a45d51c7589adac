using System.Diagnostics;

namespace ClaudeActors.Bench.Measurement;

/// <summary>Sends a fixed number of requests with at most a given number in flight (a closed loop).</summary>
internal static class LoadRunner
{
    /// <summary>
    /// Runs <paramref name="count"/> calls of <paramref name="send"/>, <paramref name="concurrency"/> at a time. Each call
    /// measures its own times from when it is started, so waiting for a free slot here is not counted.
    /// </summary>
    public static async Task<CellResult> RunAsync(
        string path,
        int concurrency,
        int count,
        Func<CancellationToken, Task<Sample>> send,
        CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var wall = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, count).Select(async _ =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await send(cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var samples = await Task.WhenAll(calls);
        wall.Stop();
        return new CellResult(path, concurrency, samples, wall.Elapsed);
    }
}
