using System.Collections.Concurrent;

namespace ClaudeActors.Processes;

/// <summary>
/// The processes an actor owns, including those a task of its own started or is using, so that when the actor stops
/// (or restarts) none is left running: <see cref="KillAll"/> kills every one, and a task that finishes after that
/// finds its process gone from the set and kills it itself (<see cref="AdoptOrKill"/>).
/// </summary>
internal sealed class OwnedProcesses(WarmProcessLauncher launcher, CancellationToken stopping)
{
    private readonly ConcurrentDictionary<WarmProcess, bool> _processes = new();

    public int Count => _processes.Count;

    /// <summary>Records <paramref name="process"/> as owned; with <paramref name="forgetConversation"/> its transcript goes when it is killed.</summary>
    public void Add(WarmProcess process, bool forgetConversation = true) => _processes[process] = forgetConversation;

    /// <summary>No longer owned (handed over or ended by its owner). False when it was not owned (any more).</summary>
    public bool Remove(WarmProcess process) => _processes.TryRemove(process, out _);

    /// <summary>
    /// For a task that got <paramref name="process"/>: owned from now on, unless the owner has stopped meanwhile, in
    /// which case the process is killed and the call returns false.
    /// </summary>
    public bool AdoptOrKill(WarmProcess process)
    {
        Add(process);
        if (!stopping.IsCancellationRequested)
        {
            // Should the owner stop from now on, KillAll finds the process in the set.
            return true;
        }

        // Whoever removes it (this call or KillAll) kills it.
        Kill(process);
        return false;
    }

    /// <summary>Removes and kills <paramref name="process"/> (in the background), when owned.</summary>
    public void Kill(WarmProcess process)
    {
        if (_processes.TryRemove(process, out var forget))
        {
            process.Process.Kill();
            _ = launcher.KillAsync(process, forget).AsTask();
        }
    }

    /// <summary>Removes <paramref name="process"/> and ends it gracefully in the background, when owned.</summary>
    public void Retire(WarmProcess process)
    {
        if (_processes.TryRemove(process, out var forget))
        {
            _ = launcher.ShutdownAsync(process, forget);
        }
    }

    /// <summary>Kills every owned process at once (the owner stops).</summary>
    public void KillAll()
    {
        foreach (var process in _processes.Keys)
        {
            Kill(process);
        }
    }
}
