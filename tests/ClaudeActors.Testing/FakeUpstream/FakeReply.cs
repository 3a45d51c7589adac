namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// A scripted answer of <see cref="FakeAnthropicServer"/> to one <c>POST /v1/messages</c> request.
/// Build one with the static factories, adjust it with <c>with { ... }</c> or the <c>With...</c> methods.
/// </summary>
/// <remarks>
/// Streaming replies send <c>message_start</c> (with input and cache usage), <c>content_block_start</c>,
/// one <c>content_block_delta</c>/<c>text_delta</c> per chunk (flushed one by one, <see cref="ChunkDelay"/>
/// apart), <c>content_block_stop</c>, <c>message_delta</c> (stop reason, output tokens) and
/// <c>message_stop</c>. A request without <c>"stream": true</c> gets the same reply as one JSON message.
/// </remarks>
public sealed record FakeReply
{
    /// <summary>The text <see cref="FakeAnthropicServer.DefaultReply"/> starts with.</summary>
    public const string DefaultText = "Hello from the fake upstream.";

    /// <summary>What the reply does on the wire.</summary>
    public FakeReplyKind Kind { get; init; } = FakeReplyKind.Stream;

    /// <summary>HTTP status; 200 except for <see cref="FakeReplyKind.HttpError"/>.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Extra response headers (for example <c>retry-after</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The text deltas, in order. Empty means an empty text block.</summary>
    public IReadOnlyList<string> Chunks { get; init; } = [];

    /// <summary>
    /// Whether a streaming reply sends <c>message_start</c> and <c>content_block_start</c> at all.
    /// False only for <see cref="Hang()"/> and <see cref="SseError"/> without text: headers, then nothing else
    /// (or only the error event).
    /// </summary>
    public bool SendsMessageStart { get; init; } = true;

    /// <summary>Pause before each chunk after the first.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Usage reported in <c>message_start</c> and <c>message_delta</c>.</summary>
    public FakeUsage Usage { get; init; } = FakeUsage.Default;

    /// <summary><c>stop_reason</c> in <c>message_delta</c>; default <c>end_turn</c>.</summary>
    public string StopReason { get; init; } = "end_turn";

    /// <summary>Model named in the reply; null echoes the request's <c>model</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Error type for <see cref="FakeReplyKind.HttpError"/> and <see cref="FakeReplyKind.SseError"/>.</summary>
    public string ErrorType { get; init; } = "api_error";

    /// <summary>Error message for <see cref="FakeReplyKind.HttpError"/> and <see cref="FakeReplyKind.SseError"/>.</summary>
    public string ErrorMessage { get; init; } = "Internal server error";

    /// <summary>Optional gate the stream waits at (see <see cref="GateAfterChunks"/>).</summary>
    public FakeGate? Gate { get; init; }

    /// <summary>
    /// Where <see cref="Gate"/> holds the stream: after this many chunks have been flushed (0 = right after
    /// <c>content_block_start</c>, before any text; at or above the chunk count = after the last chunk,
    /// before the ending).
    /// </summary>
    public int GateAfterChunks { get; init; }

    /// <summary>
    /// For <see cref="FakeReplyKind.BrokenStream"/>: pause between the last flushed delta and the abort, so the
    /// client has read the partial text before the connection dies (an abort resets the connection, and a reset
    /// throws away what the client has not read yet). Generous, because a busy machine may not schedule the reader
    /// for a while; nothing waits on it but the broken stream itself.
    /// </summary>
    public TimeSpan BreakDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>tool_use</c> blocks after the text block, each streamed as <c>input_json_delta</c> fragments.</summary>
    public IReadOnlyList<FakeToolUse> ToolUses { get; init; } = [];

    /// <summary>
    /// A streamed reply that calls tools: optional text, then one <c>tool_use</c> block per call, with stop reason
    /// <c>tool_use</c>.
    /// </summary>
    public static FakeReply ToolCalls(string text, params FakeToolUse[] calls) => new()
    {
        Chunks = text.Length == 0 ? [] : Split(text, 2, null),
        ToolUses = calls,
        StopReason = "tool_use",
    };

    /// <summary>The full text of the reply (all chunks joined).</summary>
    public string FullText => string.Concat(Chunks);

    /// <summary>
    /// A complete streamed text reply. The text is split into <paramref name="chunkCount"/> deltas of about the same
    /// size, or into deltas of <paramref name="chunkSize"/> characters when that is given.
    /// </summary>
    public static FakeReply Text(
        string text,
        int chunkCount = 4,
        int? chunkSize = null,
        TimeSpan? chunkDelay = null,
        FakeUsage? usage = null,
        string stopReason = "end_turn",
        string? model = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new FakeReply
        {
            Chunks = Split(text, chunkCount, chunkSize),
            ChunkDelay = chunkDelay ?? TimeSpan.Zero,
            Usage = usage ?? FakeUsage.Default,
            StopReason = stopReason,
            Model = model,
        };
    }

    /// <summary>
    /// The model's answer to a CLI turn with <c>--json-schema</c>: a call of the CLI's <c>StructuredOutput</c> tool
    /// with <paramref name="json"/> as its input (stop reason <c>tool_use</c>), after <paramref name="textBefore"/> when
    /// given. The CLI validates the input against the schema and answers the call itself.
    /// </summary>
    public static FakeReply StructuredOutput(string json, string? textBefore = null) => new()
    {
        Chunks = textBefore is null ? [] : Split(textBefore, 2, null),
        ToolUses = [new FakeToolUse(null, StructuredOutputTool, json)],
        StopReason = "tool_use",
    };

    /// <summary>The name of the tool through which the CLI takes structured output from the model.</summary>
    public const string StructuredOutputTool = "StructuredOutput";

    /// <summary>A complete streamed reply with exactly these text deltas.</summary>
    public static FakeReply FromChunks(params string[] chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return new FakeReply { Chunks = [.. chunks] };
    }

    /// <summary>
    /// An HTTP error: <paramref name="status"/> with the body
    /// <c>{"type":"error","error":{"type":<paramref name="type"/>,"message":<paramref name="message"/>}}</c>.
    /// </summary>
    public static FakeReply Error(int status, string type, string message) => new()
    {
        Kind = FakeReplyKind.HttpError,
        StatusCode = status,
        ErrorType = type,
        ErrorMessage = message,
    };

    /// <summary>HTTP 529 <c>overloaded_error</c>.</summary>
    public static FakeReply Overloaded(string message = "Overloaded") => Error(529, "overloaded_error", message);

    /// <summary>HTTP 429 <c>rate_limit_error</c>.</summary>
    public static FakeReply RateLimited(string message = "Rate limited") => Error(429, "rate_limit_error", message);

    /// <summary>
    /// HTTP 400 <c>invalid_request_error</c> "prompt is too long: <paramref name="tokens"/> tokens &gt;
    /// <paramref name="maximum"/> maximum", as the Anthropic API answers a prompt longer than the model's context window.
    /// </summary>
    public static FakeReply PromptTooLong(int tokens = 212_345, int maximum = 200_000) =>
        Error(400, "invalid_request_error", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"prompt is too long: {tokens} tokens > {maximum} maximum"));

    /// <summary>Sends <c>message_start</c> and <paramref name="textBeforeBreak"/> as deltas, then aborts the connection.</summary>
    public static FakeReply BrokenStream(string textBeforeBreak, int chunkCount = 2) => new()
    {
        Kind = FakeReplyKind.BrokenStream,
        Chunks = Split(textBeforeBreak, chunkCount, null),
    };

    /// <summary>Sends the headers, then nothing, until the client goes away or the server is disposed.</summary>
    public static FakeReply Hang() => new()
    {
        Kind = FakeReplyKind.Hang,
        SendsMessageStart = false,
    };

    /// <summary>
    /// Sends <c>message_start</c> and <paramref name="textBefore"/> as deltas, then nothing, until the client goes
    /// away or the server is disposed.
    /// </summary>
    public static FakeReply Hang(string textBefore, int chunkCount = 2) => new()
    {
        Kind = FakeReplyKind.Hang,
        Chunks = Split(textBefore, chunkCount, null),
    };

    /// <summary>
    /// A stream that sends <paramref name="before"/>, waits at <paramref name="gate"/> until the test releases it,
    /// then sends <paramref name="after"/> and ends normally.
    /// </summary>
    public static FakeReply Gated(string before, string after, FakeGate gate) => new()
    {
        Chunks = [before, after],
        Gate = gate,
        GateAfterChunks = 1,
    };

    /// <summary>
    /// A stream that ends with an SSE <c>error</c> event
    /// (<c>event: error</c>, <c>data: {"type":"error","error":{"type":...,"message":...}}</c>) after HTTP 200.
    /// With <paramref name="textBefore"/> null the error event is the only event; otherwise <c>message_start</c>
    /// and the text deltas come first.
    /// </summary>
    public static FakeReply SseError(
        string errorType = "overloaded_error",
        string message = "Overloaded",
        string? textBefore = null) => new()
    {
        Kind = FakeReplyKind.SseError,
        ErrorType = errorType,
        ErrorMessage = message,
        SendsMessageStart = textBefore is not null,
        Chunks = textBefore is null ? [] : Split(textBefore, 2, null),
    };

    /// <summary>This reply with one more response header.</summary>
    public FakeReply WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    /// <summary>This reply with a <c>retry-after</c> header (seconds).</summary>
    public FakeReply WithRetryAfter(int seconds) =>
        WithHeader("retry-after", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>This reply held at <paramref name="gate"/> after <paramref name="afterChunks"/> chunks.</summary>
    public FakeReply WithGate(FakeGate gate, int afterChunks = 0) => this with { Gate = gate, GateAfterChunks = afterChunks };

    internal static IReadOnlyList<string> Split(string text, int chunkCount, int? chunkSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        int size;
        if (chunkSize is { } fixedSize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(fixedSize, 1, nameof(chunkSize));
            size = fixedSize;
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(chunkCount, 1, nameof(chunkCount));
            size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)chunkCount));
        }

        var chunks = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + size);

            // Never cut a surrogate pair in two.
            if (end < text.Length && char.IsLowSurrogate(text[end]))
            {
                end++;
            }

            chunks.Add(text[start..end]);
            start = end;
        }

        return chunks;
    }
}
