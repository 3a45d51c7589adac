namespace ClaudeActors.ClusterTests;

/// <summary>Node settings sized for a 2-core machine: a few CLI processes (about 190 MB each) per node, no 429s.</summary>
internal static class ClusterSettings
{
    /// <summary>CLI turns at once per node.</summary>
    public const int WorkersPerNode = 3;

    public static void ForTwoCores(IDictionary<string, string?> settings)
    {
        settings["ClaudeActors:Workers:MaxConcurrency"] = WorkersPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ClaudeActors:Workers:MaxQueueLength"] = "512";
        settings["ClaudeActors:Workers:QueueTimeoutSeconds"] = "300";
        settings["ClaudeActors:Workers:TimeoutSeconds"] = "120";
        settings["ClaudeActors:Sessions:MaxWarmProcesses"] = "4";
        settings["ClaudeActors:Processes:Standby"] = "0";
    }
}
