using ClaudeActors.Conversations;
using ClaudeActors.Tenants;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// Finds stored responses: the id names the conversation (<see cref="ResponseIds"/>), whose entity (on whatever node
/// holds it) is asked for its turns; the response is the turn that kept its nonce. A deleted response's turn no longer
/// has it (<see cref="ResponseDeleted"/>).
/// </summary>
internal sealed class ResponseStore(ConversationClient conversations)
{
    /// <summary>The response, or null when there is none by that id (never stored, deleted, or its conversation deleted).</summary>
    public async Task<StoredResponse?> FindAsync(string id, string tenant, CancellationToken cancellationToken)
    {
        if (!ResponseIds.TryParse(id, out var nonce, out var conversationId))
        {
            return null;
        }

        // The id names the conversation by its client id: it is looked for among the caller's tenant's only.
        var view = await conversations.GetAsync(ConversationKey.For(tenant, conversationId), cancellationToken).ConfigureAwait(false);
        if (view.Record is null)
        {
            return null;
        }

        for (var i = view.Turns.Count - 1; i >= 0; i--)
        {
            var turn = view.Turns[i];
            if (turn.ResponseId == nonce && turn.ResponseEnvelope is not null)
            {
                return new StoredResponse(id, nonce, conversationId, turn);
            }
        }

        return null;
    }

    /// <summary>False when there was no such response.</summary>
    public Task<bool> DeleteAsync(string id, string tenant, CancellationToken cancellationToken) =>
        ResponseIds.TryParse(id, out var nonce, out var conversationId)
            ? conversations.DeleteResponseAsync(ConversationKey.For(tenant, conversationId), nonce, cancellationToken)
            : Task.FromResult(false);
}
