using ClaudeActors.Server.Tenants;
using ClaudeActors.UnitTests.Conversations;

namespace ClaudeActors.UnitTests.Tenants;

/// <summary>Requests per minute as a sliding log on a manual clock: exact admissions and an exact Retry-After.</summary>
public sealed class RequestWindowsTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void A_key_over_its_limit_waits_until_its_oldest_request_leaves_the_minute()
    {
        var windows = new RequestWindows(_clock);

        Assert.Null(windows.TryAdmit("k", 1, 2));
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(windows.TryAdmit("k", 1, 2));
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(35), windows.TryAdmit("k", 1, 2));

        // A refused request is not counted: when the first leaves the minute, one slot is free.
        _clock.Advance(TimeSpan.FromSeconds(35));
        Assert.Null(windows.TryAdmit("k", 1, 2));
        Assert.Equal(TimeSpan.FromSeconds(20), windows.TryAdmit("k", 1, 2));
    }

    [Fact]
    public void Keys_are_counted_apart_and_a_new_generation_of_keys_starts_afresh()
    {
        var windows = new RequestWindows(_clock);

        Assert.Null(windows.TryAdmit("a", 1, 1));
        Assert.NotNull(windows.TryAdmit("a", 1, 1));
        Assert.Null(windows.TryAdmit("b", 1, 1));
        Assert.Null(windows.TryAdmit("a", 2, 1));
    }
}
