using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ClaudeActors.Server.Security;

/// <summary>
/// The key table in force: the configured keys (<see cref="AuthOptions.Keys"/>) and those of the keys file, which is
/// watched and read again when it changes (also when a new file is renamed into place). A file that does not read at
/// start stops the server; one that stops reading later is logged, and the keys last read stay in force.
/// </summary>
internal sealed partial class ApiKeys : IDisposable
{
    private readonly IReadOnlyList<ApiKeyOptions> _configured;
    private readonly string? _path;
    private readonly ILogger<ApiKeys> _logger;
    private readonly PhysicalFileProvider? _files;
    private readonly IDisposable? _watch;
    private readonly Lock _reloading = new();
    private KeyTable _table;
    private int _generation;

    public ApiKeys(IOptions<AuthOptions> options, ILogger<ApiKeys> logger)
    {
        _configured = options.Value.ConfiguredKeys();
        _logger = logger;
        _path = string.IsNullOrWhiteSpace(options.Value.KeysFile) ? null : Path.GetFullPath(options.Value.KeysFile);
        _table = Build(_path is null ? [] : KeyFile.Read(_path));
        // A keys file, even one empty now, says the server is meant to have keys: it is never open.
        Open = _table.Count == 0 && _path is null;
        if (_path is not null)
        {
            _files = new PhysicalFileProvider(Path.GetDirectoryName(_path)!, ExclusionFilters.None);
            _watch = ChangeToken.OnChange(() => _files.Watch(Path.GetFileName(_path)), Reload);
        }
    }

    /// <summary>The keys now in force.</summary>
    public KeyTable Table => Volatile.Read(ref _table);

    /// <summary>
    /// Whether the server started with no key, and so is open (on loopback only). A server that started with keys never
    /// becomes open: a keys file emptied later leaves no key that works, and every request is refused.
    /// </summary>
    public bool Open { get; }

    /// <summary>Whether the server is meant to have keys: some in the settings, or a keys file (even one empty now).</summary>
    /// <remarks>Reads the keys file, so that one that does not read stops the start here.</remarks>
    public static bool AnyConfigured(AuthOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.KeysFile))
        {
            _ = KeyFile.Read(Path.GetFullPath(options.KeysFile));
            return true;
        }

        return options.ConfiguredKeys().Count > 0;
    }

    /// <summary>Reads the keys file again now (the watcher does this on every change).</summary>
    public void Reload()
    {
        if (_path is null)
        {
            return;
        }

        try
        {
            // One reload at a time, so that a slower, older read never replaces a newer one.
            lock (_reloading)
            {
                var table = Build(KeyFile.Read(_path));
                Volatile.Write(ref _table, table);
                Log.Reloaded(_logger, _path, table.Count);
            }
        }
        catch (InvalidDataException ex)
        {
            Log.ReloadFailed(_logger, ex.Message);
        }
    }

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    private KeyTable Build(IReadOnlyList<ApiKeyOptions> fromFile) => new([.. _configured, .. fromFile], Interlocked.Increment(ref _generation));

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "API keys read again from '{Path}': {Count} keys")]
        public static partial void Reloaded(ILogger logger, string path, int count);

        [LoggerMessage(1101, LogLevel.Warning, "{Problem}; the keys read before stay in force")]
        public static partial void ReloadFailed(ILogger logger, string problem);
    }
}
