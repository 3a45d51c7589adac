using ClaudeActors.Conversations;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>A stored response as its conversation holds it: the turn (the answer) and what the request left (the envelope).</summary>
internal sealed record StoredResponse(string Id, string Nonce, string ConversationId, TurnRecord Turn)
{
    public ResponseEnvelope Envelope { get; } = ResponseEnvelope.Parse(Turn.ResponseEnvelope!);

    public ResponseOutcome Outcome => ResponseOutcome.From(Turn);
}
