using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Clustering;

/// <summary>
/// How this node takes part in the Akka.NET cluster. Bound from <c>ClaudeActors:Cluster</c>. With no
/// <see cref="SeedNodes"/> the node forms a cluster of one (it joins itself); with seed nodes it joins them.
/// </summary>
internal sealed class ClusterNodeOptions : IValidatableObject
{
    public const string SectionName = "ClaudeActors:Cluster";

    /// <summary>The actor system's name: part of every node address (<c>akka.tcp://claude-actors@host:port</c>).</summary>
    public const string SystemName = "claude-actors";

    /// <summary>The address Akka.Remote binds to. Default <c>127.0.0.1</c> (a single node needs no network).</summary>
    [Required]
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The Akka.Remote port; 0 picks a free one (fine alone, not for a seed node). Default 0.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>The host name other nodes reach this one at, when it differs from <see cref="Hostname"/> (NAT, 0.0.0.0). Default null: <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>
    /// The nodes to join, as <c>akka.tcp://claude-actors@host:port</c>; the same list on every node, the first one
    /// starting the cluster. Empty (the default): the node forms a cluster of one.
    /// </summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>
    /// How long (seconds) the membership must be stable before the split-brain resolver (keep-majority) downs the
    /// unreachable nodes. Default 20.
    /// </summary>
    [Range(1, 3600)]
    public double StableAfterSeconds { get; set; } = 20;

    /// <summary>
    /// On SIGTERM, how long (seconds) running turns may go on before they are cut with <c>server_shutting_down</c>,
    /// while the node hands its conversations over. Default null: 0 for a node alone (turns are cut at once), 60 with
    /// seed nodes.
    /// </summary>
    [Range(0, 3600)]
    public double? DrainSeconds { get; set; }

    /// <summary>True when the node joins seed nodes (a real cluster) rather than itself.</summary>
    public bool Clustered => SeedNodes.Count > 0;

    /// <summary>The drain time in effect (see <see cref="DrainSeconds"/>).</summary>
    public TimeSpan Drain => TimeSpan.FromSeconds(DrainSeconds ?? (Clustered ? 60 : 0));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var seed in SeedNodes)
        {
            if (!SeedNode.TryParse(seed, out var error))
            {
                yield return new ValidationResult($"The seed node '{seed}' is not usable: {error}", [nameof(SeedNodes)]);
            }
        }
    }
}
