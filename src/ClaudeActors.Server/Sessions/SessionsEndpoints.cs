using ClaudeActors.Conversations;
using System.Text.Json;
using ClaudeActors.Persistence;
using ClaudeActors.Server.OpenAi;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;
using ClaudeActors.Tenants;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.Sessions;

/// <summary>
/// The Session API: <c>GET /v1/sessions</c> (paged), <c>GET /v1/sessions/{id}</c> (record and turns),
/// <c>DELETE /v1/sessions/{id}</c> (ends its process, removes its journal and CLI transcript),
/// <c>POST /v1/sessions/{id}/fork</c> (a new conversation with the same history). The id is one path segment,
/// percent-decoded exactly once from the raw request target (<see cref="SessionPath"/>).
/// </summary>
internal static class SessionsEndpoints
{
    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder group)
    {
        group.MapGet("/sessions", ListAsync);
        group.MapGet("/sessions/{id}", GetAsync);
        group.MapDelete("/sessions/{id}", DeleteAsync);
        group.MapPost("/sessions/{id}/fork", ForkAsync);

        // A '/' sent as itself, not as %2F, is no part of an id: such a path matches no route (404 unknown_url).
        return group;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, ConversationClient conversations, IOptions<JournalOptions> options, CancellationToken cancellationToken)
    {
        var (query, problem) = SessionListQuery.Read(http.Request.Query, options.Value.MaxPageSize);
        if (query is null)
        {
            return problem!;
        }

        // An admin that names no tenant lists every tenant's conversations; anyone else only their tenant's.
        var caller = http.Caller();
        var after = query.After is null ? null : ConversationKey.For(caller.SeesAll ? query.AfterTenant ?? caller.Tenant : caller.Tenant, query.After);
        var page = await conversations.ListAsync(query.Limit, after, caller.SeesAll ? null : caller.Tenant, cancellationToken);
        var processes = await conversations.ProcessesAsync(cancellationToken);
        var data = page.Items.Select(r => ToObject(r, processes.ByConversation.GetValueOrDefault(r.Id), null)).ToList();
        return TypedResults.Json(new SessionList("list", data, page.HasMore, data.LastOrDefault()?.Id), OpenAiJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext http, ConversationClient conversations, CancellationToken cancellationToken)
    {
        if (SessionPath.Id(http, fromEnd: 1) is not { } id)
        {
            return NoSession();
        }

        var view = await conversations.GetAsync(ConversationKey.For(http.Tenant(), id), cancellationToken);
        if (view.Record is not { } record)
        {
            return NotFound(id);
        }

        var history = view.Turns.Select(t => new SessionTurnObject(
            t.Sequence,
            t.Status,
            JsonDocument.Parse(t.RequestJson).RootElement.Clone(),
            t.Answer,
            t.StopReason,
            new SessionTurnUsage(t.InputTokens, t.OutputTokens, t.CacheReadInputTokens, t.CacheCreationInputTokens),
            t.Started.ToUnixTimeSeconds(),
            t.DurationMs)).ToList();
        return TypedResults.Json(ToObject(record, view.Process, history), OpenAiJson.Options);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, ConversationClient conversations, CancellationToken cancellationToken)
    {
        if (SessionPath.Id(http, fromEnd: 1) is not { } id)
        {
            return NoSession();
        }

        return await conversations.DeleteAsync(ConversationKey.For(http.Tenant(), id), cancellationToken)
            ? TypedResults.Json(new SessionDeleted(id, "session.deleted", true), OpenAiJson.Options)
            : NotFound(id);
    }

    private static async Task<IResult> ForkAsync(HttpContext http, ConversationClient conversations, CancellationToken cancellationToken)
    {
        if (SessionPath.Id(http, fromEnd: 2) is not { } id)
        {
            return NoSession();
        }

        var request = http.Request;
        string? newId = null;
        if (RequestGuard.HasBody(http))
        {
            try
            {
                newId = (await JsonSerializer.DeserializeAsync<ForkRequest>(request.Body, OpenAiJson.Options, cancellationToken))?.SessionId;
            }
            catch (JsonException)
            {
                return OpenAiErrors.Json(400, "The fork body must be JSON: {\"session_id\": \"...\"} or empty.", "invalid_request_error");
            }
        }

        if (newId is not null && ConversationIds.Validate(newId) is { } problem)
        {
            return OpenAiErrors.Json(400, problem, "invalid_request_error", "session_id", "invalid_session_id");
        }

        newId ??= Guid.NewGuid().ToString("D");
        var fork = await conversations.ForkAsync(ConversationKey.For(http.Tenant(), id), ConversationKey.For(http.Tenant(), newId), cancellationToken);
        return fork.Outcome switch
        {
            ForkOutcome.Created => TypedResults.Json(ToObject(fork.Record!, ProcessInfo.None, null), OpenAiJson.Options, statusCode: StatusCodes.Status201Created),
            ForkOutcome.Exists => OpenAiErrors.Json(409, $"The session '{newId}' exists already.", "invalid_request_error", "session_id", "session_exists"),
            _ => NotFound(id),
        };
    }

    private static IResult NotFound(string id) =>
        OpenAiErrors.Json(404, $"No session '{id}'.", "invalid_request_error", "id", "session_not_found");

    private static IResult NoSession() => OpenAiErrors.Json(
        404,
        "No session at this path: a session id is one path segment, percent-encoded (send '/' in an id as %2F and '%' as %25).",
        "invalid_request_error",
        "id",
        "session_not_found");

    /// <summary>The conversation as its tenant's clients know it (<paramref name="stored"/>'s id is the entity id).</summary>
    private static SessionObject ToObject(ConversationRecord stored, ProcessInfo? process, IReadOnlyList<SessionTurnObject>? history)
    {
        var record = ConversationKey.ForClient(stored);
        var warm = process?.Warm == true;
        var state = warm ? "warm" : record.State == ConversationStatus.Warm ? "idle" : record.State.ToString().ToLowerInvariant();
        return new SessionObject(
            record.Id,
            "session",
            record.CliSessionId,
            record.Model,
            record.SystemPrompt,
            record.Created.ToUnixTimeSeconds(),
            record.LastUsed.ToUnixTimeSeconds(),
            record.Turns,
            state,
            record.Origin,
            record.ForkedFrom,
            new SessionProcess(warm, process?.ProcessId, process?.Starts ?? 0),
            history,
            record.Tenant!);
    }
}
