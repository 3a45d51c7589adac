using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ClaudeActors.Chat;

namespace ClaudeActors.UnitTests.Supervision;

/// <summary>
/// A hand-written attempt for <c>TurnSupervisor.RunAsync</c>: records the attempt
/// numbers and tokens it is given and plays the script for each number.
/// </summary>
internal sealed class ScriptedAttempts(Func<int, CancellationToken, IAsyncEnumerable<ChatEvent>> script)
{
    private readonly ConcurrentQueue<int> _numbers = new();
    private readonly ConcurrentQueue<CancellationToken> _tokens = new();

    /// <summary>The attempt numbers passed in, in call order.</summary>
    public IReadOnlyList<int> Numbers => [.. _numbers];

    /// <summary>The tokens passed in, in call order.</summary>
    public IReadOnlyList<CancellationToken> Tokens => [.. _tokens];

    public IAsyncEnumerable<ChatEvent> Run(int number, CancellationToken cancellationToken)
    {
        _numbers.Enqueue(number);
        _tokens.Enqueue(cancellationToken);
        return script(number, cancellationToken);
    }

    /// <summary>Yields <paramref name="events"/> one by one, then throws <paramref name="failure"/> if there is one.</summary>
    public static async IAsyncEnumerable<ChatEvent> Play(
        IReadOnlyList<ChatEvent> events,
        Exception? failure = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var ev in events)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return ev;
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Yields <paramref name="events"/>, then waits until <paramref name="cancellationToken"/> is cancelled, marks
    /// <paramref name="cancelled"/> and lets the <see cref="OperationCanceledException"/> out.
    /// </summary>
    public static async IAsyncEnumerable<ChatEvent> PlayThenHang(
        IReadOnlyList<ChatEvent> events,
        TaskCompletionSource cancelled,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var ev in events)
        {
            await Task.Yield();
            yield return ev;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled.TrySetResult();
            throw;
        }
    }
}
