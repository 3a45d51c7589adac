using System.Globalization;
using System.Text;
using System.Text.Json;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Cli.Transcripts;

/// <summary>
/// Writes a conversation as a CLI transcript (one JSON entry a line, chained by <c>parentUuid</c>), so that
/// <c>--resume</c> gives the upstream the earlier turns as real user and assistant messages.
/// Consecutive messages of one role are merged, as the Messages API wants roles to alternate. The file is 0600.
/// </summary>
internal static class TranscriptWriter
{
    public static async Task WriteAsync(
        string path,
        string sessionId,
        string workingDirectory,
        IReadOnlyList<CliMessage> messages,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = Render(sessionId, workingDirectory, messages, now);
        await PrivateFiles.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
    }

    public static string Render(string sessionId, string workingDirectory, IReadOnlyList<CliMessage> messages, DateTimeOffset now)
    {
        var output = new StringBuilder();
        string? parent = null;
        var index = 0;
        foreach (var message in CliMessage.MergeConsecutive(messages))
        {
            var uuid = Guid.NewGuid().ToString();
            var timestamp = now.AddMilliseconds(index++).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            output.Append(Entry(message, uuid, parent, sessionId, workingDirectory, timestamp)).Append('\n');
            parent = uuid;
        }

        return output.ToString();
    }

    private static string Entry(CliMessage message, string uuid, string? parent, string sessionId, string cwd, string timestamp)
    {
        return StreamJsonWriter.Json(writer =>
        {
            writer.WriteStartObject();
            if (parent is null)
            {
                writer.WriteNull("parentUuid");
            }
            else
            {
                writer.WriteString("parentUuid", parent);
            }

            writer.WriteBoolean("isSidechain", false);
            var role = message.Role == CliRole.User ? "user" : "assistant";
            writer.WriteString("type", role);
            writer.WritePropertyName("message");
            writer.WriteStartObject();
            if (message.Role == CliRole.Assistant)
            {
                writer.WriteString("id", "msg_" + uuid.Replace("-", "", StringComparison.Ordinal));
                writer.WriteString("type", "message");
            }

            writer.WriteString("role", role);
            if (message.Role == CliRole.Assistant)
            {
                writer.WriteString("model", "claude");
            }

            writer.WritePropertyName("content");
            StreamJsonWriter.WriteContent(writer, message.Content);
            if (message.Role == CliRole.Assistant)
            {
                writer.WriteString("stop_reason", "end_turn");
                writer.WriteNull("stop_sequence");
                writer.WritePropertyName("usage");
                writer.WriteStartObject();
                writer.WriteNumber("input_tokens", 0);
                writer.WriteNumber("output_tokens", 0);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteString("uuid", uuid);
            writer.WriteString("timestamp", timestamp);
            writer.WriteString("userType", "external");
            writer.WriteString("cwd", cwd);
            writer.WriteString("sessionId", sessionId);
            writer.WriteEndObject();
        });
    }
}
