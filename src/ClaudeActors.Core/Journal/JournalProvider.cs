namespace ClaudeActors.Journal;

/// <summary>The journal's database.</summary>
public enum JournalProvider
{
    Sqlite,
    PostgreSql,
}
