namespace ClaudeActors.Server.Health;

/// <summary>The tags of our ASP.NET Core health checks, and the key of the component each one reports.</summary>
internal static class HealthTags
{
    /// <summary>Checks <c>/health/live</c> runs: the process can serve at all.</summary>
    public const string Live = "live";

    /// <summary>Checks <c>/health/ready</c> runs: a turn can run now.</summary>
    public const string Ready = "ready";

    /// <summary>The <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Data"/> key of the <see cref="ComponentStatus"/>.</summary>
    public const string Component = "component";
}
