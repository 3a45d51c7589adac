namespace ClaudeActors.Testing.Cluster;

/// <summary>Node settings of the cluster tests and the cluster benchmark, sized for a 2-core machine: a few CLI processes (about 190 MB each) per node, no 429s.</summary>
public static class ClusterSettings
{
    /// <summary>CLI turns at once per node.</summary>
    public const int WorkersPerNode = 3;

    /// <summary>
    /// How long a client waits for a turn's response to begin: a real client's time-out, far above a turn here (about
    /// 1 s), after which it reads the conversation and sends the turn again if it was not recorded.
    /// </summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    public static void ForTwoCores(IDictionary<string, string?> settings)
    {
        settings["ClaudeActors:Workers:MaxConcurrency"] = WorkersPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ClaudeActors:Workers:MaxQueueLength"] = "512";
        settings["ClaudeActors:Workers:QueueTimeoutSeconds"] = "300";
        settings["ClaudeActors:Workers:TimeoutSeconds"] = "120";
        settings["ClaudeActors:Sessions:MaxWarmProcesses"] = "4";
        settings["ClaudeActors:Processes:Standby"] = "0";

        // A dead node is downed about 6 s + 2 x 5 s after it stopped answering (notes: Cluster), not 46 s.
        settings["ClaudeActors:Cluster:StableAfterSeconds"] = "5";
        settings["ClaudeActors:Cluster:DrainSeconds"] = "30";
    }
}
