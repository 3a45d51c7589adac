namespace ClaudeActors.Persistence;

/// <summary>
/// Keeps <see cref="JournalOptions.MaxSizeMegabytes"/> (SQLite only), as a full disk would: a turn asks
/// <see cref="HasRoom"/> before it costs an upstream call, and <see cref="HasRoomFor"/> with the size of what it is
/// about to store; a turn that would take the database (its file and its write-ahead log) past the limit is refused as
/// <c>journal_unavailable</c> and nothing of it is stored, so a smaller turn may still fit. No limit (0) or PostgreSQL:
/// always room.
/// </summary>
internal sealed class JournalCapacity
{
    /// <summary>The reason given to a client when the limit is reached.</summary>
    public const string FullReason = "database or disk is full: the journal would pass its configured size limit (ClaudeActors:Journal:MaxSizeMegabytes)";

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
    public bool HasRoom() => HasRoomFor(0);

    /// <summary>Whether <paramref name="bytes"/> more may be stored without passing the configured size.</summary>
    public bool HasRoomFor(long bytes) => _path is null || UsedBytes + bytes < _maxBytes;

    private static long Length(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }
}
