using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Processes;

/// <summary>Warm CLI processes: standby count and how long host commands may take. Bound from <c>ClaudeActors:Processes</c>.</summary>
internal sealed class ProcessOptions
{
    public const string SectionName = "ClaudeActors:Processes";

    /// <summary>
    /// How many started, idle CLI processes each node keeps ready for new conversations and stateless requests, so
    /// they need not wait for a CLI start (about 190 MB each). Default 1; 0 turns standby processes off.
    /// </summary>
    [Range(0, 64)]
    public int Standby { get; set; } = 1;

    /// <summary>How long a process may take to reset its conversation (<c>/clear</c>) before it is killed. Default 10 s.</summary>
    [Range(0.1, 600)]
    public double RecycleTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a new standby or replacement process may take to become ready before it is killed. Default 60 s.</summary>
    [Range(0.1, 600)]
    public double ReadyTimeoutSeconds { get; set; } = 60;
}
