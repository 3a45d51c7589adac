using ClaudeActors.Bench;
using ClaudeActors.Bench.Scenarios;

// End-to-end benchmark of ClaudeActors: `dotnet run -c Release --project bench/ClaudeActors.Bench -- [scenario] [--options]`.
BenchArguments arguments;
try
{
    arguments = BenchArguments.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(ScenarioCatalog.Usage());
    return 2;
}

if (arguments.WantsHelp)
{
    Console.WriteLine(ScenarioCatalog.Usage());
    return 0;
}

if (ScenarioCatalog.Find(arguments.Scenario) is not { } scenario)
{
    Console.Error.WriteLine($"Unknown scenario '{arguments.Scenario}'.");
    Console.Error.WriteLine(ScenarioCatalog.Usage());
    return 2;
}

using var deadline = new CancellationTokenSource();
ConsoleCancelEventHandler onCancel = (_, e) =>
{
    e.Cancel = true;
    deadline.Cancel();
};
Console.CancelKeyPress += onCancel;
try
{
    deadline.CancelAfter(arguments.MaxDuration(scenario.DefaultMaxMinutes));
    // The report is printed at the end, in one piece, after the progress lines and the server's own log lines.
    using var report = new StringWriter();
    var exitCode = await scenario.RunAsync(arguments, report, deadline.Token);
    Console.Out.Write(report.ToString());
    if (arguments.ReportFile is { } file)
    {
        await File.WriteAllTextAsync(file, report.ToString(), CancellationToken.None);
        Console.Error.WriteLine($"[bench] report written to {Path.GetFullPath(file)}");
    }

    return exitCode;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(ScenarioCatalog.Usage());
    return 2;
}
catch (OperationCanceledException) when (deadline.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped: the run was cancelled or took longer than {arguments.MaxDuration(scenario.DefaultMaxMinutes).TotalMinutes:0.##} minutes (--max-minutes).");
    return 3;
}
finally
{
    Console.CancelKeyPress -= onCancel;
}
