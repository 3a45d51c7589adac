using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Telemetry;

/// <summary>The server's log. Bound from <c>ClaudeActors:Logging</c>.</summary>
internal sealed class LoggingOptions
{
    public const string SectionName = "ClaudeActors:Logging";

    /// <summary>Serilog's minimum level: Verbose, Debug, Information, Warning, Error or Fatal. Default Information.</summary>
    [RegularExpression("(?i)^(Verbose|Debug|Information|Warning|Error|Fatal)$", ErrorMessage = "must be Verbose, Debug, Information, Warning, Error or Fatal")]
    public string Level { get; set; } = "Information";

    /// <summary>Text (one readable line per event) or Json (one JSON object per line, for a log collector). Default Text.</summary>
    public LogFormat Format { get; set; } = LogFormat.Text;

    /// <summary>
    /// Log each turn's prompt text (Information). Default false: prompts and answers are never logged, since they may
    /// hold anything a client sends.
    /// </summary>
    public bool IncludePrompts { get; set; }
}
