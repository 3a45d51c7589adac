using System.Security.Cryptography;
using System.Text;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Conversations;

/// <summary>
/// A rolling hash of a conversation as a stateless client resends it: the system prompt, then each message (role and
/// content blocks, consecutive messages of one role merged as the CLI merges them). Folding a turn's prompt and answer
/// onto a conversation's hash gives the hash of the history a client will send next, so a resend can be matched to the
/// conversation exactly, and an edited or shortened history never matches.
/// </summary>
internal static class HistoryHash
{
    public static string Of(string? systemPrompt, IReadOnlyList<CliMessage> messages)
    {
        var hash = Start(systemPrompt);
        foreach (var message in CliMessage.MergeConsecutive(messages))
        {
            hash = Fold(hash, message);
        }

        return hash;
    }

    public static string Start(string? systemPrompt) => Digest("system", systemPrompt ?? "");

    /// <summary>The hash after one more message.</summary>
    public static string Fold(string hash, CliMessage message)
    {
        var text = new StringBuilder(hash).Append('|').Append(message.Role == CliRole.User ? 'u' : 'a');
        foreach (var block in message.Content)
        {
            switch (block)
            {
                case CliTextBlock t:
                    text.Append("|t").Append(t.Text.Length).Append(':').Append(t.Text);
                    break;
                case CliImageBlock i:
                    text.Append("|i").Append(i.MediaType).Append(':').Append(Digest("image", i.Base64Data));
                    break;
            }
        }

        return Digest("message", text.ToString());
    }

    private static string Digest(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\n" + value)));
}
