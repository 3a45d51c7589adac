using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.Bench.Measurement;

/// <summary>
/// What the fake upstream keeps of the requests it received (it records every one, in this process): how many, and
/// their bodies' size in memory as .NET strings (2 bytes a character; the parsed JSON copy adds about half as much again).
/// </summary>
internal readonly record struct UpstreamRecords(int Requests, long BodyBytes)
{
    public static UpstreamRecords Of(FakeAnthropicServer upstream)
    {
        var requests = upstream.Requests;
        return new UpstreamRecords(requests.Count, requests.Sum(r => (long)r.RawBody.Length * 2));
    }

    public static UpstreamRecords operator -(UpstreamRecords after, UpstreamRecords before) =>
        new(after.Requests - before.Requests, after.BodyBytes - before.BodyBytes);
}
