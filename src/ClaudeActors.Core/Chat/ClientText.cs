using System.Text.RegularExpressions;

namespace ClaudeActors.Chat;

/// <summary>
/// Text from the CLI (its stderr, its error results) on its way into a client's error message: file paths of the
/// server's machine are replaced by <c>&lt;path&gt;</c>; the log keeps the text whole (<see cref="CliOutput"/>).
/// </summary>
internal static partial class ClientText
{
    public const string PathPlaceholder = "<path>";

    /// <summary>
    /// The text with every absolute path of two or more parts (<c>/home/x/.claude</c>, <c>~/.claude/settings.json</c>,
    /// <c>C:\Users\x</c>) replaced; a command such as <c>/login</c> and URLs stay as they are.
    /// </summary>
    public static string WithoutPaths(string text) => Paths().Replace(text, PathPlaceholder);

    [GeneratedRegex(@"(?<![\w.~/:\\-])(?:~|[A-Za-z]:)?(?:[/\\][\w.@+-]+){2,}[/\\]?")]
    private static partial Regex Paths();
}

/// <summary>What the CLI printed, as it printed it (paths included): the inner exception of a failure, for the log only.</summary>
internal sealed class CliOutput(string text) : Exception(text);
