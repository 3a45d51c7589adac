using ClaudeActors.Bench.Measurement;
using ClaudeActors.Bench.Overhead;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// The cost of carrying a turn's events from the conversation to the reader, in one process with no CLI and no HTTP:
/// the new path (an ask to an actor that answers with a stream ref) against the previous release's (a bounded channel
/// per turn, posted to the conversation's mailbox loop). Per turn: request to first delta; per delta: a turn's time over
/// its deltas; at each concurrency level.
/// </summary>
internal sealed class OverheadScenario : IScenario
{
    public string Name => "overhead";

    public string Description => "The Akka path's own cost per turn (to the first delta) and per delta, p50/p95, against the previous release's channel; no CLI, no HTTP.";

    public IReadOnlyList<string> OptionHelp => OverheadOptions.Help;

    public double DefaultMaxMinutes => 5;

    public async Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = OverheadOptions.From(arguments);
        var machine = await MachineInfo.CaptureAsync(cliPath: null, cancellationToken);
        var loadBefore = MachineInfo.LoadAverage();
        ChatEvent[] deltas = [.. Enumerable.Range(0, options.Deltas).Select(i => new ChatTextDelta($"delta {i} "))];

        var cells = new List<OverheadCell>();
        await using (var akka = new AkkaStreamPath())
        await using (var channel = new ChannelStreamPath())
        {
            IStreamPath[] paths = [akka, channel];
            foreach (var concurrency in options.Concurrency)
            {
                cells.AddRange(await MeasureLevelAsync(paths, concurrency, deltas, options, cancellationToken));
            }
        }

        OverheadReport.Write(output, machine, options, cells, loadBefore);
        return cells.Sum(cell => cell.Failures) == 0 ? 0 : 1;
    }

    /// <summary>
    /// One concurrency level: c conversations per path, a warm-up per path, then the measured turns in blocks, the
    /// paths taking turns (and the order changing each block), so a change in the machine's load hits both alike.
    /// </summary>
    private static async Task<IEnumerable<OverheadCell>> MeasureLevelAsync(
        IStreamPath[] paths, int concurrency, ChatEvent[] deltas, OverheadOptions options, CancellationToken cancellationToken)
    {
        var lanes = paths.Select(path => Enumerable.Range(0, concurrency).Select(_ => path.OpenLane(deltas)).ToArray()).ToArray();
        try
        {
            var runners = lanes.Select(pathLanes => new OverheadRunner(pathLanes, deltas)).ToArray();
            for (var p = 0; p < paths.Length; p++)
            {
                Console.Error.WriteLine($"[bench] {paths[p].Name}, concurrency {concurrency}: {options.Warmup} warm-up turns");
                var (warmUp, _) = await runners[p].RunAsync(options.Warmup, cancellationToken);
                if (warmUp.FirstOrDefault(s => !s.Succeeded) is { Error: { } error })
                {
                    Console.Error.WriteLine($"[bench] a warm-up turn failed: {error}");
                }
            }

            var samples = paths.Select(_ => new List<OverheadSample>()).ToArray();
            var walls = new TimeSpan[paths.Length];
            var allocated = new long[paths.Length];
            for (var block = 0; block < options.Blocks; block++)
            {
                var turns = options.TurnsInBlock(block);
                Console.Error.WriteLine($"[bench] concurrency {concurrency}, block {block + 1} of {options.Blocks}: {turns} turns per path");
                for (var i = 0; i < paths.Length; i++)
                {
                    var p = (i + block) % paths.Length;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    var (blockSamples, wall) = await runners[p].RunAsync(turns, cancellationToken);
                    allocated[p] += GC.GetTotalAllocatedBytes(precise: true) - before;
                    walls[p] += wall;
                    samples[p].AddRange(blockSamples);
                }
            }

            return paths.Select((path, p) => new OverheadCell(path.Name, concurrency, deltas.Length, samples[p], walls[p], allocated[p])).ToList();
        }
        finally
        {
            foreach (var lane in lanes.SelectMany(pathLanes => pathLanes))
            {
                await lane.DisposeAsync();
            }
        }
    }
}
