using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// One conversation of the <see cref="ChannelStreamPath"/>: a loop over its mailbox channel that writes each turn's
/// events to the turn's channel, in the loop, as the previous release's session actor did.
/// </summary>
internal sealed class ChannelStreamLane : IStreamLane
{
    private readonly Channel<ChannelTurn> _mailbox = Channel.CreateBounded<ChannelTurn>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IReadOnlyList<ChatEvent> _deltas;
    private readonly Task _loop;

    public ChannelStreamLane(IReadOnlyList<ChatEvent> deltas)
    {
        _deltas = deltas;
        _loop = Task.Run(LoopAsync);
    }

    public async IAsyncEnumerable<ChatEvent> TurnAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The turn's own token, cancelled when the reader stops for any reason, as the previous release had it.
        using var turnCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var output = Channel.CreateBounded<ChatEvent>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
            await _mailbox.Writer.WriteAsync(new ChannelTurn(output.Writer, turnCancellation.Token), cancellationToken);
            await foreach (var ev in output.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return ev;
            }
        }
        finally
        {
            await turnCancellation.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _mailbox.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        await foreach (var turn in _mailbox.Reader.ReadAllAsync())
        {
            try
            {
                foreach (var delta in _deltas)
                {
                    await turn.Output.WriteAsync(delta, turn.Token);
                }

                turn.Output.TryComplete();
            }
            catch (Exception ex)
            {
                turn.Output.TryComplete(ex);
            }
        }
    }
}
