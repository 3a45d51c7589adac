using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Tools;

namespace ClaudeActors.Conversations;

/// <summary>
/// The rules for a conversation that waits on the client's function results: which request may continue it, and how
/// the results reach the CLI process that waits in <c>tools/call</c>. Plain code over the entity's state.
/// </summary>
internal static class PendingToolCalls
{
    /// <summary>
    /// True when <paramref name="request"/> answers the calls the conversation waits on; throws an invalid-request
    /// failure when it answers calls the conversation does not wait on, leaves some unanswered, or sends a new
    /// message while calls wait.
    /// </summary>
    public static bool Check(ConversationRecord? record, ChatTurnRequest request)
    {
        var pending = record?.PendingToolCalls ?? [];
        if (request.ToolResults.Count == 0)
        {
            if (pending.Count > 0)
            {
                throw new ChatFailure(
                    ChatFailureKind.InvalidRequest,
                    $"The conversation waits on the results of tool calls {string.Join(", ", pending)}: send the assistant message with its tool_calls and one role \"tool\" message per call.",
                    isTransient: false);
            }

            return false;
        }

        if (pending.Count == 0)
        {
            throw new ChatFailure(
                ChatFailureKind.InvalidRequest,
                "The tool messages answer no pending tool call: this conversation does not wait on function results.",
                isTransient: false);
        }

        var unknown = request.ToolResults.Select(r => r.ToolCallId).Where(id => !pending.Contains(id, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ChatFailure(
                ChatFailureKind.InvalidRequest,
                $"Unknown tool_call_id {string.Join(", ", unknown)}: the conversation waits on {string.Join(", ", pending)}.",
                isTransient: false);
        }

        var missing = pending.Where(id => !request.ToolResults.Any(r => r.ToolCallId == id)).ToList();
        if (missing.Count > 0)
        {
            throw new ChatFailure(
                ChatFailureKind.InvalidRequest,
                $"No tool message answers tool call {string.Join(", ", missing)}: every tool call needs a role \"tool\" message.",
                isTransient: false);
        }

        return true;
    }

    /// <summary>Hands the results to the process's tool server; the CLI's waiting <c>tools/call</c>s return them.</summary>
    public static void Answer(ClaudeProcess cli, IReadOnlyList<ClientToolResult> results)
    {
        foreach (var result in results)
        {
            cli.ToolServer!.Provide(result.ToolCallId, result.Content);
        }
    }

    /// <summary>What the turn's record keeps as its request: the results, one text block each.</summary>
    public static IReadOnlyList<CliContentBlock> Describe(IReadOnlyList<ClientToolResult> results) =>
        [.. results.Select(r => new CliTextBlock(ToolCallText.Result(r.ToolCallId, r.Content)))];

    /// <summary>The failure when the process that waited on the calls is gone (restart, passivation, another node).</summary>
    public static ChatFailure Lost() => new(
        ChatFailureKind.InvalidRequest,
        "The conversation's paused turn was lost with its CLI process (the server restarted or the conversation was passivated), so these tool results cannot continue it.",
        isTransient: false);
}
