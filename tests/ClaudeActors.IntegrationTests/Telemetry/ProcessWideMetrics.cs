namespace ClaudeActors.IntegrationTests.Telemetry;

/// <summary>
/// Tests that read <c>/metrics</c>: run alone. A meter is found by its name process-wide, so with several gateways in
/// one test process each one's exporter would also see the others' instruments (in production a process is one server).
/// </summary>
[CollectionDefinition(nameof(ProcessWideMetrics), DisableParallelization = true)]
public sealed class ProcessWideMetrics;
