using System.Diagnostics;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// Runs turns on the lanes of a path, one turn at a time per lane, and times each: from the request to the first delta
/// and to the end of the stream. Every turn must bring back exactly the deltas produced, in order.
/// </summary>
internal sealed class OverheadRunner(IReadOnlyList<IStreamLane> lanes, IReadOnlyList<ChatEvent> deltas)
{
    /// <summary>Runs <paramref name="turns"/> turns spread over the lanes; returns their samples and the wall time.</summary>
    public async Task<(OverheadSample[] Samples, TimeSpan Wall)> RunAsync(int turns, CancellationToken cancellationToken)
    {
        var samples = new OverheadSample[turns];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lanes.Select(lane => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < turns)
                {
                    samples[i] = await TurnAsync(lane, cancellationToken);
                }
            },
            cancellationToken)));
        return (samples, clock.Elapsed);
    }

    private async Task<OverheadSample> TurnAsync(IStreamLane lane, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var first = 0L;
        var count = 0;
        try
        {
            await foreach (var ev in lane.TurnAsync(cancellationToken))
            {
                if (count == 0)
                {
                    first = Stopwatch.GetTimestamp();
                }

                if (count >= deltas.Count || !ReferenceEquals(ev, deltas[count]))
                {
                    return OverheadSample.Failed($"event {count + 1} is not the delta produced as number {count + 1}");
                }

                count++;
            }

            var end = Stopwatch.GetTimestamp();
            return count == deltas.Count
                ? new OverheadSample(Stopwatch.GetElapsedTime(start, first), Stopwatch.GetElapsedTime(start, end), null)
                : OverheadSample.Failed($"the stream ended after {count} of {deltas.Count} deltas");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return OverheadSample.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
