using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClaudeActors.Server.Health;

/// <summary>A <see cref="ComponentStatus"/> as a health check result (and back), so the JSON reports keep their shape.</summary>
internal static class ComponentHealth
{
    public static HealthCheckResult Result(ComponentStatus status)
    {
        var data = new Dictionary<string, object> { [HealthTags.Component] = status };
        return status.Ok ? HealthCheckResult.Healthy(data: data) : HealthCheckResult.Unhealthy(status.Error, data: data);
    }

    /// <summary>The component a check reported; one that threw or timed out is a failing component.</summary>
    public static ComponentStatus Of(HealthReportEntry entry) =>
        entry.Data.TryGetValue(HealthTags.Component, out var status) && status is ComponentStatus component
            ? component
            : new ComponentStatus(false, entry.Description ?? "the check failed", null);
}
