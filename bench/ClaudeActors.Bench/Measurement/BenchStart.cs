using ClaudeActors.Bench.Chat;
using ClaudeActors.Testing.Cli;

namespace ClaudeActors.Bench.Measurement;

/// <summary>What every scenario settles before it measures: the workload, the CLI it runs, the machine and its load.</summary>
internal sealed record BenchStart(ChatWorkload Workload, string CliPath, MachineInfo Machine, string LoadBefore)
{
    public static async Task<BenchStart> CaptureAsync(int chunks, TimeSpan chunkDelay, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        var cliPath = ClaudeCliInstall.ExecutablePath;
        var machine = await MachineInfo.CaptureAsync(cliPath, cancellationToken);
        return new BenchStart(new ChatWorkload(chunks, chunkDelay, requestTimeout), cliPath, machine, MachineInfo.LoadAverage());
    }
}
