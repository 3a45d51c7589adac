using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using ClaudeActors.Chat;
using ClaudeActors.Projections;

namespace ClaudeActors.Conversations;

/// <summary>
/// What the Session API asks of conversations: read, delete and fork go to the conversation's entity (through the
/// shard region), the list comes from the conversation index, and the warm processes from the node's cap. Every ask
/// carries a deadline the entity honours. A journal that fails, or an entity that cannot answer in time, is a
/// <see cref="ChatFailureKind.JournalUnavailable"/> failure; nothing was changed then.
/// </summary>
internal sealed class ConversationClient(
    IRequiredActor<ConversationRegion> region,
    IRequiredActor<ConversationIndex> index,
    IRequiredActor<WarmProcessCap> cap,
    TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public Task<ConversationView> GetAsync(string id, CancellationToken cancellationToken) =>
        AskAsync<ConversationView>(region.ActorRef, new GetConversation(id, IncludeTranscript: false, Deadline()), cancellationToken);

    /// <summary>False when there was no such conversation.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        (await AskAsync<ConversationDeleteResult>(region.ActorRef, new DeleteConversation(id, Deadline()), cancellationToken).ConfigureAwait(false)).Existed;

    /// <summary>False when the conversation holds no such Responses API response.</summary>
    public async Task<bool> DeleteResponseAsync(string id, string responseId, CancellationToken cancellationToken) =>
        (await AskAsync<ConversationDeleteResult>(region.ActorRef, new DeleteResponse(id, responseId, Deadline()), cancellationToken).ConfigureAwait(false)).Existed;

    public Task<ForkResult> ForkAsync(string sourceId, string newId, CancellationToken cancellationToken) =>
        AskAsync<ForkResult>(region.ActorRef, new ForkConversation(newId, sourceId, Deadline()), cancellationToken);

    /// <summary>A page of <paramref name="tenant"/>'s conversations (every tenant's when null); ids are entity ids.</summary>
    public async Task<ConversationPage> ListAsync(int limit, string? after, string? tenant, CancellationToken cancellationToken) =>
        (await AskAsync<ConversationPageReply>(index.ActorRef, new ListConversations(limit, after, tenant), cancellationToken).ConfigureAwait(false)).Page;

    /// <summary>This node's warm conversation processes.</summary>
    public Task<WarmProcessCap.Processes> ProcessesAsync(CancellationToken cancellationToken) =>
        AskAsync<WarmProcessCap.Processes>(cap.ActorRef, WarmProcessCap.GetProcesses.Instance, cancellationToken);

    /// <summary>Conversations with an entity in memory on this node.</summary>
    public async Task<int> LiveConversationsAsync(CancellationToken cancellationToken)
    {
        var state = await region.ActorRef.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Timeout, cancellationToken).ConfigureAwait(false);
        return state.Shards.Sum(s => s.EntityIds.Count);
    }

    private DateTimeOffset Deadline() => time.GetUtcNow() + Timeout;

    private static async Task<T> AskAsync<T>(IActorRef target, object message, CancellationToken cancellationToken)
    {
        object reply;
        try
        {
            reply = await target.Ask<object>(message, Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException ex)
        {
            throw Unavailable("the conversation did not answer in time", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ChatFailure)
        {
            // A Status.Failure answer: the entity's journal refused the write.
            throw Unavailable("the write failed", ex);
        }

        return reply switch
        {
            T answer => answer,
            ConversationFailed failed => throw failed.Failure.ToException(),
            _ => throw new InvalidOperationException($"Unexpected answer {reply.GetType().Name} to {message.GetType().Name}."),
        };
    }

    private static ChatFailure Unavailable(string reason, Exception inner) => new(
        ChatFailureKind.JournalUnavailable,
        $"The conversation journal is unavailable ({reason}); nothing was changed. Try again later.",
        isTransient: false,
        inner: inner);
}
