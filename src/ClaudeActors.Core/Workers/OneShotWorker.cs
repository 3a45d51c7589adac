using System.Runtime.CompilerServices;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Transcripts;
using ClaudeActors.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Workers;

/// <summary>
/// Runs one attempt of a stateless turn: takes a worker from the pool, writes the client's earlier messages as a
/// transcript the CLI resumes (so the upstream sees them as real messages), starts a fresh CLI process, sends the
/// new input on stdin and turns the process's output into <see cref="ChatEvent"/>s. The time-out or the caller's
/// cancellation kills the process tree at once; the transcript is removed afterwards.
/// </summary>
internal sealed partial class OneShotWorker(
    WorkerPool pool,
    CliWorkspace workspace,
    IOptions<WorkerPoolOptions> poolOptions,
    TimeProvider time,
    ILogger<OneShotWorker> logger)
{
    public async IAsyncEnumerable<ChatEvent> RunAsync(
        ChatTurnRequest request,
        int attempt,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = await pool.AcquireAsync(admitted: attempt > 0, cancellationToken).ConfigureAwait(false);
        var composed = PromptComposer.Compose(request, workspace.Options.SystemPromptMode);
        var sessionId = Guid.NewGuid().ToString();
        var hasHistory = composed.History.Count > 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(poolOptions.Value.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ClaudeProcess? process = null;
        try
        {
            if (hasHistory)
            {
                await TranscriptWriter.WriteAsync(
                    workspace.Paths.TranscriptPath(sessionId), sessionId, workspace.WorkingDirectory, composed.History, time.GetUtcNow(), linked.Token)
                    .ConfigureAwait(false);
            }

            process = Start(request, composed, sessionId, hasHistory);
            await SendAsync(process, composed.Prompt, linked.Token).ConfigureAwait(false);
            var reader = new TurnReader(process, timeout, cancellationToken);
            while (await reader.NextAsync(linked.Token).ConfigureAwait(false) is { } ev)
            {
                yield return ev;
            }
        }
        finally
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            workspace.DeleteTranscript(sessionId);
            workspace.DeleteTempDirectory(sessionId);
        }
    }

    private ClaudeProcess Start(ChatTurnRequest request, ComposedTurn composed, string sessionId, bool hasHistory)
    {
        var spec = new CliLaunchSpec
        {
            Model = request.Model,
            Effort = request.Effort,
            SystemPrompt = composed.CliSystemPrompt,
            ResumeSessionId = hasHistory ? sessionId : null,
            NewSessionId = hasHistory ? null : sessionId,
            PersistSession = hasHistory,
        };
        return workspace.Start(spec, sessionId, request.MaxOutputTokens, logger);
    }

    private static async Task SendAsync(ClaudeProcess process, IReadOnlyList<CliContentBlock> prompt, CancellationToken cancellationToken)
    {
        try
        {
            await process.SendUserMessageAsync(prompt, cancellationToken).ConfigureAwait(false);
            await process.CloseInputAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The process died on start; reading its output reports how.
        }
    }
}
