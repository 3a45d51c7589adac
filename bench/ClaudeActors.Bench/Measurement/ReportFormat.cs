using System.Globalization;

namespace ClaudeActors.Bench.Measurement;

/// <summary>How the reports print figures (invariant culture) and the lines every report starts with.</summary>
internal static class ReportFormat
{
    /// <summary>The machine and CLI lines of a report's set-up list.</summary>
    public static void WriteMachine(TextWriter output, MachineInfo machine)
    {
        WriteHost(output, machine);
        output.WriteLine($"- Claude Code CLI: {machine.CliVersion}, the real binary against a fake Anthropic Messages API on loopback");
    }

    /// <summary>The machine line alone, for a scenario that runs no CLI.</summary>
    public static void WriteHost(TextWriter output, MachineInfo machine) =>
        output.WriteLine(Invariant($"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.MemoryGiB:0.0} GiB memory, {machine.Os}, {machine.Runtime}"));

    public static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ratio(TimeSpan numerator, TimeSpan denominator) => Ratio(numerator.TotalMilliseconds, denominator.TotalMilliseconds);

    public static string Ratio(double numerator, double denominator) =>
        denominator > 0 && numerator > 0 ? (numerator / denominator).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "n/a";

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
