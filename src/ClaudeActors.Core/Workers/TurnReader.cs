using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;

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
internal sealed class TurnReader(ClaudeProcess process, CancellationTokenSource timeout, CancellationToken callerToken, bool structured = false)
{
    private bool _done;

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
            CliEvent? ev;
            try
            {
                ev = await process.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false)
                    ? process.Events.TryRead(out var item) ? item : null
                    : null;
                if (ev is null && process.Events.Completion.IsCompleted)
                {
                    _done = true;
                    var code = await process.Exited.ConfigureAwait(false);
                    throw CliFailureClassifier.ProcessEnded(code, process.StandardErrorTail);
                }
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
                case CliTextDelta when structured:
                    continue;
                case CliTextDelta delta:
                    return new ChatTextDelta(delta.Text);
                case CliResult result when CliFailureClassifier.IsOutputLimit(result):
                    // The model hit its output limit (after the CLI's own attempts to continue): the text so far is
                    // the answer, cut short, as OpenAI's finish_reason "length" says.
                    _done = true;
                    Result = result;
                    // A structured answer cut short has no JSON to give: empty content, as the finish reason says.
                    return new ChatCompleted(structured ? "" : Text.ToString(), "max_tokens", result.Usage, result.TotalCostUsd);
                case CliResult result:
                    _done = true;
                    Result = result;
                    if (CliFailureClassifier.Classify(result) is { } failure)
                    {
                        throw failure;
                    }

                    // A structured answer ends with the model's StructuredOutput call ("tool_use"): for the client it
                    // is a finished answer.
                    return structured
                        ? new ChatCompleted(result.Result ?? "", "end_turn", result.Usage, result.TotalCostUsd)
                        : new ChatCompleted(result.Result ?? Text.ToString(), result.StopReason, result.Usage, result.TotalCostUsd);
            }
        }

        return null;
    }
}
