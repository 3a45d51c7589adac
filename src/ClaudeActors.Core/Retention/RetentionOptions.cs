using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Retention;

/// <summary>How long conversations are kept. Bound from <c>ClaudeActors:Retention</c>.</summary>
internal sealed class RetentionOptions
{
    public const string SectionName = "ClaudeActors:Retention";

    /// <summary>
    /// A conversation unused for this many days is deleted with its events, snapshots and transcript. Default 0: kept
    /// for ever. Fractions work (0.5 is twelve hours).
    /// </summary>
    [Range(0, 36_500)]
    public double MaxIdleDays { get; set; }

    /// <summary>
    /// A conversation whose first turn failed (it has no turn at all) is deleted once it has been unused this long, so
    /// failed starts are not left behind. Default 600 s. Always on: such a conversation holds nothing to keep.
    /// </summary>
    [Range(1, 31_536_000)]
    public double FailedStartGraceSeconds { get; set; } = 600;

    /// <summary>How often the sweep runs (one node of the cluster runs it). Default 3600 s.</summary>
    [Range(1, 604_800)]
    public double SweepIntervalSeconds { get; set; } = 3600;

    /// <summary>The idle age past which a conversation is deleted, or null when idle conversations are kept.</summary>
    public TimeSpan? MaxIdle => MaxIdleDays > 0 ? TimeSpan.FromDays(MaxIdleDays) : null;
}
