namespace ClaudeActors.Workers;

/// <summary>
/// The key of the CLI worker pool's router in the actor registry (<c>IRequiredActor&lt;CliWorkerPool&gt;</c>); it takes
/// <see cref="CliWorker.RunStatelessAttempt"/>.
/// </summary>
internal sealed class CliWorkerPool
{
    private CliWorkerPool()
    {
    }
}
