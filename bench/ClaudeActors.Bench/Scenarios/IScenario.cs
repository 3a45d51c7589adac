namespace ClaudeActors.Bench.Scenarios;

/// <summary>One benchmark the program can run, chosen by <see cref="Name"/> on the command line.</summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>The scenario's own options, one line each, for the usage text.</summary>
    IReadOnlyList<string> OptionHelp { get; }

    /// <summary>How long the run may take unless <c>--max-minutes</c> says otherwise.</summary>
    double DefaultMaxMinutes => 15;

    /// <summary>Runs the scenario, writes its report to <paramref name="output"/> and returns the exit code.</summary>
    Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken);
}
