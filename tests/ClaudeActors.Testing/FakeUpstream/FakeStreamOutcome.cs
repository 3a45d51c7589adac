namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>How the fake server's answer to one <c>POST /v1/messages</c> request ended.</summary>
public enum FakeStreamOutcome
{
    /// <summary>The whole reply was written and the response completed.</summary>
    Completed,

    /// <summary>The fake aborted the connection on purpose (<see cref="FakeReplyKind.BrokenStream"/>).</summary>
    AbortedByServer,

    /// <summary>The client went away (closed or reset the connection) before the reply was complete.</summary>
    AbortedByClient,

    /// <summary>The fake server was disposed while the reply was still running.</summary>
    ServerStopped,

    /// <summary>The fake itself failed (for example the <see cref="FakeAnthropicServer.Responder"/> threw).</summary>
    Faulted,
}
