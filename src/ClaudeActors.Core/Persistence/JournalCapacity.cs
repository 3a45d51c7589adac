using ClaudeActors.Persistence;

namespace ClaudeActors.Persistence;

/// <summary>
/// Keeps <see cref="JournalOptions.MaxSizeMegabytes"/> (SQLite only): the entity asks <see cref="HasRoom"/> before a
/// turn, and refuses the turn as <c>journal_unavailable</c> when the database (its file and its write-ahead log) has
/// reached the limit. The check comes before the turn, so the turn that crosses the limit is still stored and the
/// next one is refused: the file can end up one turn past the limit, never more. No limit (0) or PostgreSQL: always room.
/// </summary>
internal sealed class JournalCapacity
{
    /// <summary>The reason given to a client when the limit is reached.</summary>
    public const string FullReason = "the journal has reached its configured size limit (ClaudeActors:Journal:MaxSizeMegabytes)";

    private readonly string? _path;
    private readonly long _maxBytes;

    public JournalCapacity(string? sqlitePath, int maxSizeMegabytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSizeMegabytes);
        _path = maxSizeMegabytes > 0 ? sqlitePath : null;
        _maxBytes = (long)maxSizeMegabytes * 1024 * 1024;
    }

    /// <summary>An unlimited journal.</summary>
    public static JournalCapacity Unlimited { get; } = new(null, 0);

    public static JournalCapacity For(JournalOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JournalCapacity(ConversationStore.Resolve(options, dataDirectory).SqlitePath, options.MaxSizeMegabytes);
    }

    /// <summary>The bytes the database uses now (file and write-ahead log); 0 for PostgreSQL or no limit.</summary>
    public long UsedBytes => _path is null ? 0 : Length(_path) + Length(_path + "-wal");

    /// <summary>Whether a turn may be stored: false once the SQLite database has reached the configured size.</summary>
    public bool HasRoom() => _path is null || UsedBytes < _maxBytes;

    private static long Length(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }
}
