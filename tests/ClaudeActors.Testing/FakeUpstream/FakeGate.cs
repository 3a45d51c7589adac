namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// Holds a streaming <see cref="FakeReply"/> at a point until the test calls <see cref="Release"/>.
/// Everything before the gate has been written and flushed when <see cref="Reached"/> completes, so a test
/// can check that those tokens already reached its client while the "model" is still writing.
/// A gate opens once; a reply that reaches an already released gate passes straight through.
/// </summary>
public sealed class FakeGate
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a reply has flushed everything before the gate and starts waiting at it.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Whether <see cref="Release"/> has been called.</summary>
    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Lets the waiting reply (and any later one) continue.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Waits until a reply reaches the gate; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilReachedAsync(TimeSpan timeout)
    {
        try
        {
            await _reached.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No fake reply reached the gate within {timeout}.");
        }
    }

    internal async Task PassAsync(CancellationToken cancellationToken)
    {
        _reached.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
