using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClaudeActors.Bench.Measurement;

/// <summary>What the figures were measured on: printed at the top of every report.</summary>
internal sealed record MachineInfo(int Cores, double MemoryGiB, string Cpu, string Os, string Runtime, string CliVersion)
{
    /// <summary>
    /// The 1, 5 and 15 minute load averages (Linux), e.g. <c>0.12 0.30 0.25</c>, or <c>n/a</c>. Figures taken while other
    /// work keeps the cores busy are not comparable with figures from an idle machine.
    /// </summary>
    public static string LoadAverage()
    {
        const string LoadAvg = "/proc/loadavg";
        try
        {
            return File.Exists(LoadAvg) ? string.Join(' ', File.ReadAllText(LoadAvg).Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>The machine, and the CLI's version unless <paramref name="cliPath"/> is null (a scenario without the CLI).</summary>
    public static async Task<MachineInfo> CaptureAsync(string? cliPath, CancellationToken cancellationToken)
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return new MachineInfo(
            Environment.ProcessorCount,
            memory,
            await CpuModelAsync(cancellationToken),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            cliPath is null ? "not used" : await CliVersionAsync(cliPath, cancellationToken));
    }

    private static async Task<string> CpuModelAsync(CancellationToken cancellationToken)
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var lines = await File.ReadAllLinesAsync(CpuInfo, cancellationToken);
        var model = lines.FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal));
        return model is null ? RuntimeInformation.ProcessArchitecture.ToString() : model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static async Task<string> CliVersionAsync(string cliPath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var info = new ProcessStartInfo(cliPath, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {cliPath}.");
        try
        {
            var version = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return version.Trim();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
