using System.Text.RegularExpressions;

namespace ClaudeActors.Chat;

/// <summary>
/// Text from the CLI (its stderr, its error results) on its way into a client's error message: file paths of the
/// server's machine become <c>&lt;path&gt;</c>, and network addresses (URLs, <c>host:port</c>) become
/// <c>&lt;address&gt;</c>, so a client learns neither the server's folders nor where its upstream lives (the CLI names
/// its "inference gateway" in upstream errors). The status and the wording stay; the log keeps the text whole
/// (<see cref="CliOutput"/>).
/// </summary>
internal static partial class ClientText
{
    public const string PathPlaceholder = "<path>";

    public const string AddressPlaceholder = "<address>";

    /// <summary>
    /// The text with every URL and <c>host:port</c> replaced, and every absolute path of two or more parts
    /// (<c>/home/x/.claude</c>, <c>~/.claude/settings.json</c>, <c>C:\Users\x</c>); a command such as <c>/login</c> stays.
    /// </summary>
    public static string Redact(string text) =>
        Paths().Replace(HostPorts().Replace(Urls().Replace(text, AddressPlaceholder), AddressPlaceholder), PathPlaceholder);

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'""()<>\[\]]+")]
    private static partial Regex Urls();

    // An IPv4 address, a bracketed IPv6 address or a name with a letter in it, then a port: not a time such as 10:45.
    [GeneratedRegex(@"(?<![\w.-])(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|(?=[\w.-]*[A-Za-z])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*):\d{2,5}\b")]
    private static partial Regex HostPorts();

    [GeneratedRegex(@"(?<![\w.~/:\\-])(?:~|[A-Za-z]:)?(?:[/\\][\w.@+-]+){2,}[/\\]?")]
    private static partial Regex Paths();
}

/// <summary>What the CLI printed, as it printed it (paths included): the inner exception of a failure, for the log only.</summary>
internal sealed class CliOutput(string text) : Exception(text);
