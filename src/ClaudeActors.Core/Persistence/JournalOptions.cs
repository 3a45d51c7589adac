using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Persistence;

/// <summary>Where conversations are kept. Bound from <c>ClaudeActors:Journal</c>.</summary>
internal sealed class JournalOptions
{
    public const string SectionName = "ClaudeActors:Journal";

    /// <summary>Sqlite (default: a file under the data directory, nothing to install) or PostgreSql.</summary>
    public JournalProvider Provider { get; set; } = JournalProvider.Sqlite;

    /// <summary>
    /// The connection string. For Sqlite the default is <c>Data Source=&lt;DataDirectory&gt;/journal.db</c>; for
    /// PostgreSql it is required (<c>Host=...;Database=...;Username=...;Password=...</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Sqlite only: the most megabytes the journal file may grow to; a turn that would take it further is refused as
    /// on a full disk (503 <c>journal_unavailable</c>) and the conversation stays as it was. Default 0: no limit.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxSizeMegabytes { get; set; }

    /// <summary>Most conversations one page of <c>GET /v1/sessions</c> returns. Default 100.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 100;
}
