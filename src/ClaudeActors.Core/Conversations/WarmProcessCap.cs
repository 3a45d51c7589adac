using Akka.Actor;
using ClaudeActors.Sessions;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Conversations;

/// <summary>
/// The node's cap on warm conversation processes (<see cref="SessionOptions.MaxWarmProcesses"/>, about 190 MB each):
/// conversations tell it when their process starts and stops and when their turns begin and end; past the cap it
/// asks the least recently used idle conversation to release its process (busy ones are never asked; a burst over the
/// cap settles back as their turns end). It also knows each warm process, for the Session API's list.
/// </summary>
internal sealed partial class WarmProcessCap : ReceiveActor
{
    private readonly Dictionary<IActorRef, Entry> _entries = [];
    private readonly int _cap;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WarmProcessCap(int cap, TimeProvider time, ILogger logger)
    {
        _cap = cap;
        _time = time;
        _logger = logger;
        Receive<ProcessStarted>(started =>
        {
            var entry = Track(started.Entity, started.ConversationId);
            entry.Process = started.Process;
            entry.Busy = true;
            entry.LastUsed = _time.GetUtcNow();
            Enforce(except: started.Entity);
        });
        Receive<TurnStarted>(turn =>
        {
            var entry = Track(turn.Entity, turn.ConversationId);
            entry.Busy = true;
            entry.LastUsed = _time.GetUtcNow();
        });
        Receive<TurnEnded>(turn =>
        {
            var entry = Track(turn.Entity, turn.ConversationId);
            entry.Busy = false;
            entry.Process = turn.Process;
            entry.LastUsed = _time.GetUtcNow();
            Enforce(except: null);
        });
        Receive<ProcessStopped>(stopped =>
        {
            if (_entries.TryGetValue(stopped.Entity, out var entry))
            {
                entry.Process = entry.Process with { Warm = false, ProcessId = null };
                entry.Releasing = false;
            }
        });
        Receive<Terminated>(t => _entries.Remove(t.ActorRef));
        Receive<GetProcesses>(_ => Sender.Tell(new Processes(
            _entries.Values.ToDictionary(e => e.ConversationId, e => e.Process, StringComparer.Ordinal),
            _entries.Values.Count(e => e.Process.Warm))));
    }

    public static Props Props(int cap, TimeProvider time, ILogger logger) => Akka.Actor.Props.Create(() => new WarmProcessCap(cap, time, logger));

    private Entry Track(IActorRef entity, string conversationId)
    {
        if (!_entries.TryGetValue(entity, out var entry))
        {
            entry = new Entry(conversationId);
            _entries[entity] = entry;
            Context.Watch(entity);
        }

        return entry;
    }

    private void Enforce(IActorRef? except)
    {
        var warm = _entries.Values.Count(e => e.Process.Warm && !e.Releasing);
        var excess = warm - _cap;
        if (excess <= 0)
        {
            return;
        }

        var coldest = _entries
            .Where(e => !Equals(e.Key, except) && e.Value.Process.Warm && !e.Value.Busy && !e.Value.Releasing)
            .OrderBy(e => e.Value.LastUsed)
            .Take(excess)
            .ToList();
        foreach (var (entity, entry) in coldest)
        {
            Log.CapReached(_logger, _cap, entry.ConversationId);
            entry.Releasing = true;
            entity.Tell(new ReleaseProcess(entry.ConversationId));
        }
    }

    private sealed class Entry(string conversationId)
    {
        public string ConversationId { get; } = conversationId;

        public ProcessInfo Process { get; set; } = ProcessInfo.None;

        public bool Busy { get; set; }

        public bool Releasing { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }

    /// <summary>A conversation's process started (its turn runs).</summary>
    internal sealed record ProcessStarted(IActorRef Entity, string ConversationId, ProcessInfo Process);

    internal sealed record TurnStarted(IActorRef Entity, string ConversationId);

    internal sealed record TurnEnded(IActorRef Entity, string ConversationId, ProcessInfo Process);

    internal sealed record ProcessStopped(IActorRef Entity);

    /// <summary>Asks for every tracked conversation's process; answered with <see cref="Processes"/>.</summary>
    internal sealed record GetProcesses
    {
        public static readonly GetProcesses Instance = new();
    }

    internal sealed record Processes(IReadOnlyDictionary<string, ProcessInfo> ByConversation, int Warm);

    private static partial class Log
    {
        [LoggerMessage(310, LogLevel.Information, "The warm-process cap ({Cap}) is reached: conversation {ConversationId} releases its process")]
        public static partial void CapReached(ILogger logger, int cap, string conversationId);
    }
}
