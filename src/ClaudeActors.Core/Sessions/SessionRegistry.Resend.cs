using ClaudeActors.Conversations;
using ClaudeActors.Chat;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionRegistry
{
    /// <summary>
    /// For a request without an id: the conversation whose whole history is exactly the request's messages before
    /// its new input, claimed so that no other request continues it at the same time; or a new conversation seeded
    /// with that history. An edited or shortened history hashes differently and never reaches the wrong conversation.
    /// </summary>
    private async Task<(SessionActor Actor, bool Claimed)> ClaimByHistoryAsync(ChatTurnRequest request, CancellationToken cancellationToken)
    {
        if (request.History.Count > 0)
        {
            var hash = HistoryHash.Of(request.SystemPrompt, request.History);
            var id = _byHash.TryGetValue(hash, out var known)
                ? known
                : await services.Journal.FindByHistoryHashAsync(hash, cancellationToken).ConfigureAwait(false);
            if (id is not null && _claimed.TryAdd(id, 0))
            {
                var actor = await GetOrCreateAsync(id, null, "auto", cancellationToken).ConfigureAwait(false);
                if (actor.HistoryHash == hash)
                {
                    _byHash.TryRemove(new KeyValuePair<string, string>(hash, id));
                    Log.Continued(services.Logger, id);
                    return (actor, true);
                }

                _claimed.TryRemove(id, out _);
            }
        }

        var fresh = Guid.NewGuid().ToString("D");
        _claimed.TryAdd(fresh, 0);
        var created = await GetOrCreateAsync(fresh, request, "auto", cancellationToken).ConfigureAwait(false);
        return (created, true);
    }

    /// <summary>Ends a claim: the conversation can be found again by the hash of its (possibly new) history.</summary>
    private void Release(SessionActor actor)
    {
        _claimed.TryRemove(actor.Id, out _);
        if (actor.HistoryHash is { } current && _actors.ContainsKey(actor.Id))
        {
            _byHash[current] = actor.Id;
        }
    }
}
