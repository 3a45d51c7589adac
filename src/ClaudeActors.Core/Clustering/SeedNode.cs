using Akka.Actor;

namespace ClaudeActors.Clustering;

/// <summary>Checks a seed-node address: <c>akka.tcp://claude-actors@host:port</c>, with this service's system name.</summary>
internal static class SeedNode
{
    public static bool TryParse(string text, out string error)
    {
        error = "";
        if (!Address.TryParse(text, out var address) || address.Host is null || address.Port is null)
        {
            error = $"expected akka.tcp://{ClusterNodeOptions.SystemName}@<host>:<port>";
            return false;
        }

        if (address.System != ClusterNodeOptions.SystemName)
        {
            error = $"the actor system must be '{ClusterNodeOptions.SystemName}', not '{address.System}'";
            return false;
        }

        if (address.Port is <= 0 or > 65535)
        {
            error = "the port must be between 1 and 65535";
            return false;
        }

        return true;
    }
}
