using ClaudeActors.Server.OpenAi.Chat;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// A valid <c>POST /v1/responses</c>: the chat turn it runs (read by the chat parser, so both endpoints run turns the
/// same way), whether to stream and store it, and what the response echoes and keeps.
/// </summary>
internal sealed record ParsedResponseRequest(ParsedChatRequest Chat, bool Store, ResponseEnvelope Envelope);
