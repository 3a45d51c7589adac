using Akka.Configuration;
using Akka.Event;

namespace ClaudeActors.Configuration;

/// <summary>
/// The HOCON the server was started with: <c>hocon/claude-actors.conf</c> with the operator's file, if any, on top.
/// Its <c>claude-actors</c> block feeds the configuration (lowest priority, see <see cref="HoconConfigurationSource"/>);
/// its <c>akka</c> block is for the actor system: <c>AddHocon(hocon.Akka, HoconAddMode.Prepend)</c>.
/// </summary>
internal sealed class ClaudeActorsHocon
{
    private ClaudeActorsHocon(Config merged, IReadOnlyList<string> files)
    {
        Merged = merged;
        Files = files;
        Akka = merged.HasPath("akka") ? merged.GetValue("akka").AtKey("akka") : Config.Empty;
        Settings = HoconKeys.Flatten(merged.Root);
    }

    /// <summary>The name of our file, under <c>hocon/</c> in the content root or beside the server.</summary>
    public const string FileName = "claude-actors.conf";

    /// <summary>Both files merged, the operator's winning.</summary>
    public Config Merged { get; }

    /// <summary>Only the <c>akka { ... }</c> block (with its <c>akka.</c> prefix), the operator's keys winning.</summary>
    public Config Akka { get; }

    /// <summary>Akka's log level from <c>akka.loglevel</c>, for the logger set-up (which writes that key itself).</summary>
    public LogLevel AkkaLogLevel => Logging.LogLevelFor(Akka.GetString("akka.loglevel", "INFO"));

    /// <summary>The <c>claude-actors</c> block as configuration entries (<c>ClaudeActors:Workers:MaxConcurrency</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The files read, ours first.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// Reads <paramref name="defaultsFile"/> and, if given, <paramref name="operatorFile"/> over it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file is missing or is not valid HOCON; the message names it.</exception>
    public static ClaudeActorsHocon Load(string defaultsFile, string? operatorFile = null)
    {
        var merged = Parse(defaultsFile);
        List<string> files = [defaultsFile];
        if (!string.IsNullOrWhiteSpace(operatorFile))
        {
            merged = Parse(operatorFile).WithFallback(merged);
            files.Add(operatorFile);
        }

        return new ClaudeActorsHocon(merged, files);
    }

    /// <summary>Parses HOCON text (tests, and files already read).</summary>
    public static ClaudeActorsHocon FromText(string defaults, string? operatorText = null)
    {
        var merged = ConfigurationFactory.ParseString(defaults);
        if (operatorText is not null)
        {
            merged = ConfigurationFactory.ParseString(operatorText).WithFallback(merged);
        }

        return new ClaudeActorsHocon(merged, []);
    }

    /// <summary>
    /// Where our file is: <c>hocon/claude-actors.conf</c> under <paramref name="contentRoot"/>, else beside the server
    /// (the build copies it to the output folder).
    /// </summary>
    public static string DefaultsFile(string contentRoot)
    {
        string[] candidates =
        [
            Path.Combine(contentRoot, "hocon", FileName),
            Path.Combine(AppContext.BaseDirectory, "hocon", FileName),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The default settings file was not found at {string.Join(" or ", candidates)}: it ships with the server as hocon/{FileName}.");
    }

    private static Config Parse(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The HOCON settings file {file} cannot be read: {ex.Message}", ex);
        }

        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception ex) when (ex is ConfigurationException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"The HOCON settings file {file} is not valid HOCON: {ex.Message}", ex);
        }
    }
}
