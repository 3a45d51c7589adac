namespace ClaudeActors.Persistence;

/// <summary>The journal's database.</summary>
public enum JournalProvider
{
    Sqlite,
    PostgreSql,
}
