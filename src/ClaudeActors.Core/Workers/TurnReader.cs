using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Tools;

namespace ClaudeActors.Workers;

/// <summary>
/// Reads one turn's events from a CLI process: <see cref="ChatStarted"/>, text deltas, then a
/// <see cref="ChatCompleted"/> (and null after it), or throws the <see cref="ChatFailure"/> the turn ended in.
/// A time-out becomes a transient <see cref="ChatFailureKind.Timeout"/>; the caller's own cancellation stays an
/// <see cref="OperationCanceledException"/>.
/// A <paramref name="structured"/> turn (the process runs with <c>--json-schema</c>) answers only with the JSON the CLI
/// validated: the model's own text around its <c>StructuredOutput</c> call is not passed on, and the completion carries
/// the result's JSON text, which a streamed response sends as its one content delta.
/// </summary>
internal sealed class TurnReader(ClaudeProcess process, CancellationTokenSource timeout, CancellationToken callerToken, TimeProvider time, bool structured = false)
{
    /// <summary>How long an answer that ends in tool calls waits for the CLI to mirror them to the transcript.</summary>
    private static readonly TimeSpan MirrorWait = TimeSpan.FromSeconds(10);

    private readonly List<CliUsage> _calls = [];
    private ChatCompleted? _pause;
    private readonly Dictionary<int, PendingCall> _toolUses = [];
    private bool _done;

    /// <summary>False: an answer returns only its first tool call (OpenAI <c>parallel_tool_calls: false</c>).</summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>The usage of every upstream call this reader saw, summed (from the stream's message events).</summary>
    public CliUsage StreamUsage => _calls.Aggregate(CliUsage.Zero, static (sum, u) => sum + u);

    /// <summary>Text seen so far in this turn.</summary>
    public System.Text.StringBuilder Text { get; } = new();

    /// <summary>Transcript entries the CLI mirrored while this reader read (with <c>--session-mirror</c>), in order.</summary>
    public List<string> MirrorEntries { get; } = [];

    /// <summary>The result line that ended the turn, once read.</summary>
    public CliResult? Result { get; private set; }

    /// <summary>
    /// After an interrupt: reads on until the CLI's result for the aborted turn (keeping text and mirrored entries),
    /// for at most <paramref name="grace"/>. False when the process did not answer in time or ended.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            while (await process.Events.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (process.Events.TryRead(out var ev))
                {
                    Observe(ev);
                    if (ev is CliResult result)
                    {
                        Result = result;
                        _done = true;
                        return true;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    private void Observe(CliEvent ev)
    {
        switch (ev)
        {
            case CliTextDelta delta:
                Text.Append(delta.Text);
                break;
            case CliTranscriptMirror mirror:
                foreach (var entry in mirror.Entries)
                {
                    MirrorEntries.Add(entry.GetRawText());
                }

                break;
        }
    }

    public async ValueTask<ChatEvent?> NextAsync(CancellationToken cancellationToken)
    {
        while (!_done)
        {
            if (_pause is { } pause && MirroredAll(pause.ToolCalls))
            {
                _done = true;
                return pause;
            }

            CliEvent? ev;
            using var mirrorDeadline = _pause is null ? null : new CancellationTokenSource(MirrorWait, time);
            using var mirrorWait = mirrorDeadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, mirrorDeadline.Token);
            try
            {
                ev = await process.Events.WaitToReadAsync(mirrorWait?.Token ?? cancellationToken).ConfigureAwait(false)
                    ? process.Events.TryRead(out var item) ? item : null
                    : null;
                if (ev is null && process.Events.Completion.IsCompleted)
                {
                    _done = true;
                    var code = await process.Exited.ConfigureAwait(false);
                    throw CliFailureClassifier.ProcessEnded(code, process.StandardErrorTail);
                }
            }
            catch (OperationCanceledException) when (_pause is not null && mirrorWait!.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The CLI did not mirror the calls in time: the answer ends anyway (a cold continuation writes them).
                _done = true;
                return _pause;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !callerToken.IsCancellationRequested)
            {
                _done = true;
                process.Kill();
                throw new ChatFailure(ChatFailureKind.Timeout, "The Claude CLI did not finish within the configured time-out.", isTransient: true);
            }

            if (ev is not null)
            {
                Observe(ev);
            }

            switch (ev)
            {
                case CliInit init:
                    return new ChatStarted(init.Model);
                case CliRateLimit limit:
                    return new ChatRateLimit(limit.Status, limit.ResetsAt, limit.Window, limit.Utilization);
                case CliModelFallback fallback:
                    return new ChatModelFallback(fallback.FallbackModel, fallback.OriginalModel);
                case CliTextDelta when structured:
                    continue;
                case CliMessageStart start:
                    _calls.Add(start.Usage);
                    _toolUses.Clear();
                    break;
                case CliMessageDelta delta when _calls.Count > 0:
                    if (delta.OutputTokens is { } output)
                    {
                        _calls[^1] = _calls[^1] with { OutputTokens = output };
                    }

                    if (delta.StopReason == ChatCompleted.ToolUse && process.ToolServer is not null && _toolUses.Count > 0)
                    {
                        // The model called the client's functions: the answer ends with the calls, and the CLI waits in
                        // tools/call until the client's next request brings the results. It ends once the CLI has
                        // mirrored the calls, so the journal holds the whole turn so far should the process be lost.
                        _pause = new ChatCompleted(Text.ToString(), ChatCompleted.ToolUse, StreamUsage, null) { ToolCalls = [.. TakeToolCalls()] };
                    }

                    break;
                case CliToolUseStart use when process.ToolServer is not null && use.Name.StartsWith(ClientToolServer.ToolPrefix, StringComparison.Ordinal):
                    var call = new PendingCall(_toolUses.Count, use.Id, ClientToolServer.ClientName(use.Name));
                    _toolUses[use.Index] = call;
                    if (ParallelToolCalls || call.Position == 0)
                    {
                        return new ChatToolCallDelta(call.Position, call.Id, call.Name, "");
                    }

                    break;
                case CliToolInputDelta input when _toolUses.TryGetValue(input.Index, out var target):
                    target.Arguments.Append(input.PartialJson);
                    if (ParallelToolCalls || target.Position == 0)
                    {
                        return new ChatToolCallDelta(target.Position, null, null, input.PartialJson);
                    }

                    break;
                case CliTextDelta delta:
                    return new ChatTextDelta(delta.Text);
                case CliResult result when CliFailureClassifier.IsOutputLimit(result):
                    // The model hit its output limit (after the CLI's own attempts to continue): the text so far is
                    // the answer, cut short, as OpenAI's finish_reason "length" says.
                    _done = true;
                    Result = result;
                    // A structured answer cut short has no JSON to give: empty content, as the finish reason says.
                    return new ChatCompleted(structured ? "" : Text.ToString(), "max_tokens", result.Usage, process.TurnCostUsd(result));
                case CliResult result:
                    _done = true;
                    Result = result;
                    if (CliFailureClassifier.Classify(result) is { } failure)
                    {
                        throw failure;
                    }

                    // A structured answer ends with the model's StructuredOutput call ("tool_use"): for the client it
                    // is a finished answer.
                    if (structured)
                    {
                        return new ChatCompleted(result.Result ?? "", "end_turn", result.Usage, process.TurnCostUsd(result));
                    }

                    // A turn that ran the client's functions counts its own upstream calls only: the result's usage
                    // also holds those answered before the tool calls, in an earlier response.
                    var usage = process.ToolServer is not null && _calls.Count > 0 ? StreamUsage : result.Usage;
                    return new ChatCompleted(result.Result ?? Text.ToString(), result.StopReason, usage, process.TurnCostUsd(result));
            }
        }

        return null;
    }

    /// <summary>
    /// The calls of the paused answer, in order. With <see cref="ParallelToolCalls"/> off only the first is returned,
    /// and the CLI gets a refusal for the others at once, so it waits on that one call alone.
    /// </summary>
    private List<ChatToolCall> TakeToolCalls()
    {
        var calls = _toolUses.Values.OrderBy(c => c.Position).ToList();
        var returned = new List<ChatToolCall>();
        foreach (var call in calls)
        {
            if (ParallelToolCalls || call.Position == 0)
            {
                returned.Add(new ChatToolCall(call.Position, call.Id, call.Name, call.Arguments.Length == 0 ? "{}" : call.Arguments.ToString()));
            }
            else
            {
                process.ToolServer!.Provide(call.Id, NotRunResult);
            }
        }

        _toolUses.Clear();
        return returned;
    }

    /// <summary>Whether the mirrored transcript holds an assistant entry with each of the calls.</summary>
    private bool MirroredAll(IReadOnlyList<ChatToolCall> calls)
    {
        var all = process.ToolServer is null ? [] : calls.Select(c => c.Id).ToList();
        return all.All(id => MirrorEntries.Any(e => e.Contains("\"tool_use\"", StringComparison.Ordinal) && e.Contains("\"" + id + "\"", StringComparison.Ordinal)));
    }

    /// <summary>What the model hears of a call it made beside the first when parallel tool calls are off.</summary>
    public const string NotRunResult = "Not run: only one function call at a time is allowed here. Call it again on its own if it is still needed.";

    private sealed record PendingCall(int Position, string Id, string Name)
    {
        public System.Text.StringBuilder Arguments { get; } = new();
    }
}
