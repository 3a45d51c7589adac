using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.UnitTests.Cli;

/// <summary>The CLI's <c>rate_limit_event</c> line, as its SDK schema describes it.</summary>
public sealed class RateLimitEventTests
{
    [Fact]
    public void A_rate_limit_event_is_read_with_its_status_reset_window_and_utilization()
    {
        var ev = StreamJsonParser.Parse("""{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":1893456000,"rateLimitType":"seven_day","utilization":1.0,"overageStatus":"rejected"},"uuid":"u","session_id":"s"}""");

        Assert.Equal(new CliRateLimit("rejected", 1893456000, "seven_day", 1.0), ev);
    }

    [Fact]
    public void Only_the_status_is_required()
    {
        Assert.Equal(new CliRateLimit("allowed", null, null, null), StreamJsonParser.Parse("""{"type":"rate_limit_event","rate_limit_info":{"status":"allowed"}}"""));
        Assert.Null(StreamJsonParser.Parse("""{"type":"rate_limit_event","rate_limit_info":{}}"""));
        Assert.Null(StreamJsonParser.Parse("""{"type":"rate_limit_event"}"""));
    }
}
