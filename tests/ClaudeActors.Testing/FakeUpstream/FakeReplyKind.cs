namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>What a <see cref="FakeReply"/> does on the wire.</summary>
public enum FakeReplyKind
{
    /// <summary>A complete, well-formed SSE stream ending with <c>message_stop</c>.</summary>
    Stream,

    /// <summary>A non-200 status with an Anthropic error JSON body.</summary>
    HttpError,

    /// <summary><c>message_start</c> and some text deltas, then the connection is aborted.</summary>
    BrokenStream,

    /// <summary>Some events (maybe none), then an SSE <c>event: error</c>, then the response ends.</summary>
    SseError,

    /// <summary>Headers (and optionally some events), then nothing until the client goes away.</summary>
    Hang,
}
