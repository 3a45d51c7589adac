using System.Globalization;

namespace ClaudeActors.Bench.Measurement;

/// <summary>
/// Resident memory read from <c>/proc</c> (Linux): this process, and the CLI processes among its descendants (found by
/// walking the parent ids in <c>/proc/*/stat</c>). Elsewhere every figure is zero.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>The <c>comm</c> of the Claude Code CLI's native binary.</summary>
    public const string CliCommand = "claude";

    /// <summary><c>VmRSS</c> of this process, in bytes.</summary>
    public static long SelfResident() => StatusField(Environment.ProcessId, "VmRSS:") ?? 0;

    /// <summary>The CLI processes under this process: how many, their summed <c>VmRSS</c> and summed <c>Pss</c>, in bytes.</summary>
    public static (int Count, long Resident, long Proportional) CliChildren()
    {
        var cli = Descendants(Environment.ProcessId).Where(p => p.Command == CliCommand).Select(p => p.Pid).ToList();
        long resident = 0;
        long proportional = 0;
        foreach (var pid in cli)
        {
            resident += StatusField(pid, "VmRSS:") ?? 0;
            proportional += Field($"/proc/{pid}/smaps_rollup", "Pss:") ?? 0;
        }

        return (cli.Count, resident, proportional);
    }

    private static List<(int Pid, string Command)> Descendants(int root)
    {
        var all = new List<(int Pid, int Parent, string Command)>();
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                all.Add((pid, stat.Parent, stat.Command));
            }
        }

        var children = all.ToLookup(p => p.Parent);
        var found = new List<(int Pid, string Command)>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var (child, _, command) in children[parent])
            {
                found.Add((child, command));
                pending.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>
    /// The parent id and <c>comm</c> from <c>/proc/PID/stat</c> (<c>pid (comm) state ppid ...</c>; comm may hold spaces
    /// and parentheses, so it ends at the last <c>)</c>). Null when the process is gone.
    /// </summary>
    private static (int Parent, string Command)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var rest = text[(close + 2)..].Split(' ');
            return (int.Parse(rest[1], CultureInfo.InvariantCulture), text[(open + 1)..close]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long? StatusField(int pid, string name) => Field($"/proc/{pid}/status", name);

    /// <summary>A <c>Name:   1234 kB</c> line of a <c>/proc</c> file, in bytes; null when missing or unreadable.</summary>
    private static long? Field(string file, string name)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            var parts = line?[name.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 0 } && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
