namespace ClaudeActors.Chat;

/// <summary>Why a turn failed; the HTTP layer maps each to a status and an OpenAI error type.</summary>
public enum ChatFailureKind
{
    /// <summary>The upstream refused the request as malformed or too large (400).</summary>
    InvalidRequest,

    /// <summary>The conversation is longer than the model's context window (400, <c>context_length_exceeded</c>).</summary>
    ContextLengthExceeded,

    /// <summary>The CLI is not logged in, or its key is invalid (401).</summary>
    Authentication,

    /// <summary>The account may not use this (403).</summary>
    PermissionDenied,

    /// <summary>The model (or another named thing) does not exist (404).</summary>
    NotFound,

    /// <summary>The upstream rate limit was hit (429).</summary>
    RateLimited,

    /// <summary>All workers are busy and the queue is full or the wait too long (429).</summary>
    Saturated,

    /// <summary>The upstream is overloaded (529 upstream, 503 here).</summary>
    Overloaded,

    /// <summary>The upstream failed (5xx) or answered with an error the server cannot classify (502).</summary>
    UpstreamError,

    /// <summary>The CLI process crashed or ended without a result (502).</summary>
    ProcessFailed,

    /// <summary>The turn took longer than the configured time-out (504).</summary>
    Timeout,

    /// <summary>The CLI binary cannot be started (503).</summary>
    CliUnavailable,

    /// <summary>The journal could not store the turn (or read what the turn needs): nothing of the turn was kept (503).</summary>
    JournalUnavailable,

    /// <summary>The server's data directory or the CLI's working directory is missing and cannot be made again (503).</summary>
    WorkspaceUnavailable,

    /// <summary>The server itself failed (its journal, its files) (500).</summary>
    Internal,

    /// <summary>The server is stopping: the turn was interrupted, or never started (503, <c>server_shutting_down</c>).</summary>
    ShuttingDown,

    /// <summary>The cluster node running the conversation left during the turn (503, the client reads and resends).</summary>
    NodeLeft,

    /// <summary>An idempotency key the conversation recorded for another input (409, <c>idempotency_key_reused</c>).</summary>
    IdempotencyKeyReused,

    /// <summary>The CLI refused <c>response_format</c>'s JSON Schema as invalid (400, <c>invalid_json_schema</c>).</summary>
    InvalidSchema,

    /// <summary>
    /// The model gave no answer that satisfies <c>response_format</c>'s schema within the CLI's attempts (422,
    /// <c>structured_output_failed</c>).
    /// </summary>
    StructuredOutputFailed,

    /// <summary>
    /// A Responses API request continues a response that is no longer its conversation's latest (400,
    /// <c>previous_response_not_latest</c>).
    /// </summary>
    PreviousResponseNotLatest,

    /// <summary>
    /// The turn reached its spending cap (<c>max_budget_usd</c> or <c>ClaudeActors:Cli:MaxBudgetUsd</c>; the CLI's
    /// <c>error_max_budget_usd</c>): 429 <c>insufficient_quota</c>, <c>max_budget_exceeded</c>, never retried.
    /// </summary>
    BudgetExceeded,
}
