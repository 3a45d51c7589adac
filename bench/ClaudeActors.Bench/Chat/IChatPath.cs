using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Chat;

/// <summary>One way of getting a chat answer from the CLI, measured from the moment a request is sent.</summary>
internal interface IChatPath
{
    /// <summary>Short name for the report, e.g. <c>ours</c>.</summary>
    string Name { get; }

    /// <summary>Sends one request and returns its times, or a failed sample (wrong answer, error, per-request time-out).</summary>
    Task<Sample> SendAsync(CancellationToken cancellationToken);
}
