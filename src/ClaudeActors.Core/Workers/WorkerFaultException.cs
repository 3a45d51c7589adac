namespace ClaudeActors.Workers;

/// <summary>A worker failed for a reason of the server's own (not a failed turn); its supervisor restarts it.</summary>
internal sealed class WorkerFaultException(string message, Exception inner) : Exception(message, inner);
