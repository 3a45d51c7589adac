using ClaudeActors.Serialization;

namespace ClaudeActors.Clustering;

/// <summary>Asks a node's <see cref="NodeStats"/> (from any node) for its figures; answered with <see cref="NodeFigures"/>.</summary>
[MessageManifest("cluster.get-node-figures")]
internal sealed record GetNodeFigures : IClaudeActorsMessage
{
    public static readonly GetNodeFigures Instance = new();
}

/// <summary>One node's figures: conversations with an entity in memory there, and warm CLI processes there.</summary>
[MessageManifest("cluster.node-figures")]
internal sealed record NodeFigures(string Address, int Conversations, int WarmProcesses) : IClaudeActorsMessage;
