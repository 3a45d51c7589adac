using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Persistence;
using ClaudeActors.Chat;
using ClaudeActors.Sessions;

namespace ClaudeActors.Conversations;

internal sealed partial class ConversationActor
{
    /// <summary>Ends the process off the mailbox; what follows depends on why (see <see cref="AfterStop"/>).</summary>
    private void StopProcess(AfterStop then, IActorRef? replyTo = null)
    {
        if (!_process.IsWarm && then == AfterStop.Release)
        {
            return;
        }

        var graceful = then != AfterStop.Delete;
        Become(Waiting);
        var self = Self;
        _process.StopAsync(graceful).PipeTo(
            self,
            success: stragglers => new ProcessEnded(stragglers, then),
            failure: _ => new ProcessEnded([], then));
        _services.WarmCap.Tell(new WarmProcessCap.ProcessStopped(self));
        _deleteReplyTo = replyTo;
    }

    private IActorRef? _deleteReplyTo;

    private void Ended(ProcessEnded ended)
    {
        var now = _services.Time.GetUtcNow();
        if (ended.Then == AfterStop.Delete)
        {
            DeleteNow();
            return;
        }

        if (!_state.Exists)
        {
            Finish(ended.Then);
            return;
        }

        var events = new List<IConversationEvent>();
        if (ended.Stragglers.Count > 0)
        {
            events.Add(new TranscriptAppended(ended.Stragglers, now));
        }

        events.Add(new ConversationPassivated(now));
        var left = events.Count;
        PersistAll(events, persisted =>
        {
            Applied(persisted);
            if (--left == 0)
            {
                Say.Passivated(_services.Logger, _id);
                Finish(ended.Then);
            }
        });
    }

    private void Finish(AfterStop then)
    {
        if (then == AfterStop.Stop)
        {
            Context.Stop(Self);
            return;
        }

        Become(Idle);
        Stash.UnstashAll();
    }

    private void Delete(DeleteConversation delete)
    {
        if (_services.Time.GetUtcNow() > delete.Deadline)
        {
            return;
        }

        if (!_state.Exists)
        {
            Sender.Tell(new ConversationDeleteResult(false));
            PassivateSelf();
            return;
        }

        if (delete.Expiry is { } expiry && !expiry.Covers(_state.Record!))
        {
            // Used (or answered) since the sweep looked: it stays.
            Sender.Tell(new ConversationDeleteResult(false));
            return;
        }

        StopProcess(AfterStop.Delete, Sender);
    }

    private void DeleteNow()
    {
        var replyTo = _deleteReplyTo ?? ActorRefs.NoSender;
        _deleteReplyTo = null;
        var cliSessionId = _state.Record!.CliSessionId;
        _persistRequester = replyTo;
        Persist(new ConversationDeleted(_services.Time.GetUtcNow()), deleted =>
        {
            _persistRequester = null;
            Applied(deleted);
            _services.Workspace.DeleteTranscript(cliSessionId);
            _services.Workspace.DeleteTempDirectory(cliSessionId);
            DeleteMessages(LastSequenceNr);
            DeleteSnapshots(SnapshotSelectionCriteria.Latest);
            replyTo.Tell(new ConversationDeleteResult(true));
            Become(Idle);
            Stash.UnstashAll();
            PassivateSelf();
        });
    }

    private void Fork(ForkConversation fork)
    {
        if (_services.Time.GetUtcNow() > fork.Deadline)
        {
            return;
        }

        if (_state.Exists)
        {
            Sender.Tell(new ForkResult(ForkOutcome.Exists, null));
            return;
        }

        var replyTo = Sender;
        Become(Waiting);
        _services.Region
            .Ask<ConversationView>(new GetConversation(fork.SourceId, IncludeTranscript: true, fork.Deadline), fork.Deadline - _services.Time.GetUtcNow())
            .PipeTo(Self, success: view => new ForkSourceRead(fork, view, replyTo), failure: _ => new ForkSourceRead(fork, null, replyTo));
    }

    private void ForkRead(ForkSourceRead read)
    {
        if (read.Source?.Record is not { } source)
        {
            read.ReplyTo.Tell(read.Source is null
                ? new ConversationFailed(JournalFailed("The fork's source could not be read"))
                : new ForkResult(ForkOutcome.SourceMissing, null));
            Become(Idle);
            Stash.UnstashAll();
            PassivateSelf();
            return;
        }

        var now = _services.Time.GetUtcNow();
        var cliSessionId = ConversationIds.NewCliSessionId();
        var record = source with
        {
            Id = _id,
            Tenant = Tenants.ConversationKey.TenantOf(_id),
            CliSessionId = cliSessionId,
            Created = now,
            LastUsed = now,
            State = ConversationStatus.Idle,
            Origin = "fork",
            ForkedFrom = read.Fork.SourceId,
            HistoryHash = null,
        };
        var transcript = (read.Source.Transcript ?? []).Select(entry => Relabel(entry, cliSessionId)).ToList();
        _persistRequester = read.ReplyTo;
        Persist(new ConversationStarted(record, transcript, read.Source.Turns, now), started =>
        {
            _persistRequester = null;
            Applied(started);
            read.ReplyTo.Tell(new ForkResult(ForkOutcome.Created, _state.Record));
            Become(Idle);
            Stash.UnstashAll();
        });
    }

    private void Import(ImportConversation import)
    {
        if (_state.Exists)
        {
            Sender.Tell(new ImportResult(false));
            return;
        }

        var replyTo = Sender;
        _persistRequester = replyTo;
        Persist(new ConversationStarted(import.Record with { Id = _id }, import.Transcript, import.Turns, import.Record.LastUsed), started =>
        {
            _persistRequester = null;
            Applied(started);
            replyTo.Tell(new ImportResult(true));
        });
    }

    private static ChatFailed JournalFailed(string what) =>
        new(ChatFailureKind.JournalUnavailable, $"{what}: the conversation journal is unavailable. Nothing was changed; try again later.", false, null);

    private static string Relabel(string entry, string cliSessionId)
    {
        if (JsonNode.Parse(entry) is JsonObject node && node["sessionId"] is JsonValue)
        {
            node["sessionId"] = cliSessionId;
            return node.ToJsonString();
        }

        return entry;
    }
}
