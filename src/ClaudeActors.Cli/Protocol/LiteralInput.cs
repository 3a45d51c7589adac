using System.Globalization;

namespace ClaudeActors.Cli.Protocol;

/// <summary>
/// Keeps a client's text from being read as CLI input syntax. On stream-json input the CLI interprets the last text
/// block of a user message as if typed at its prompt: a leading <c>/</c> runs one of its slash commands (which can
/// change its settings, read its project folder or write files) and an <c>@path</c> makes it read that file into the
/// request. Text in earlier blocks is sent as it is. So a last block that holds either is split in two: the text up to
/// its last visible character, then that character with whatever white space follows. A single character is never a
/// command or a mention, and the upstream receives the same characters in the same order, in two adjacent blocks.
/// </summary>
internal static class LiteralInput
{
    /// <summary>The content to send, with its last block made inert when it needs to be.</summary>
    public static IReadOnlyList<CliContentBlock> Protect(IReadOnlyList<CliContentBlock> content)
    {
        if (content.Count == 0 || content[^1] is not CliTextBlock last || !CouldBeInterpreted(last.Text))
        {
            return content;
        }

        var split = LastVisibleElementStart(last.Text);
        if (split <= 0 || string.IsNullOrWhiteSpace(last.Text[..split]))
        {
            // One visible character (with white space around it) is inert as it is.
            return content;
        }

        return [.. content.Take(content.Count - 1), new CliTextBlock(last.Text[..split]), new CliTextBlock(last.Text[split..])];
    }

    /// <summary>Whether the CLI could read <paramref name="text"/> as a command or a file mention.</summary>
    public static bool CouldBeInterpreted(string text) =>
        text.TrimStart().StartsWith('/') || text.Contains('@', StringComparison.Ordinal);

    /// <summary>Where the last text element that is not white space starts (a whole grapheme, never half a pair).</summary>
    private static int LastVisibleElementStart(string text)
    {
        var start = -1;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            if (!string.IsNullOrWhiteSpace(enumerator.GetTextElement()))
            {
                start = enumerator.ElementIndex;
            }
        }

        return start;
    }
}
