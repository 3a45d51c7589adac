using ClaudeActors.Server.Status;

namespace ClaudeActors.UnitTests.Status;

public sealed class RecentActivityTests
{
    private readonly StepClock _clock = new();

    [Fact]
    public void A_successful_request_is_listed_but_is_no_error()
    {
        var activity = new RecentActivity(_clock);

        activity.AddRequest(_clock.GetUtcNow(), "POST", "/v1/chat/completions", 200, 1234.5, 120, aborted: false, error: null, retryAfter: null);

        var request = Assert.Single(activity.Requests);
        Assert.Equal(new RecentRequest(1, _clock.GetUtcNow(), "POST", "/v1/chat/completions", 200, 1234.5, 120, false, null, null), request);
        Assert.Empty(activity.Errors);
        Assert.Equal((1, 0), (activity.Total, activity.Failed));
    }

    [Fact]
    public void A_failed_request_is_listed_among_the_errors_with_its_code_and_message()
    {
        var activity = new RecentActivity(_clock);

        activity.AddRequest(
            _clock.GetUtcNow(), "POST", "/v1/responses", 429, 3, 2, aborted: false, new ErrorBody("busy", "rate_limit_error", "server_busy"), retryAfter: "4");
        activity.AddRequest(_clock.GetUtcNow(), "GET", "/v1/nothing", 404, 1, 1, aborted: false, error: null, retryAfter: null);

        Assert.Equal((2, 2), (activity.Total, activity.Failed));
        Assert.Equal("server_busy", activity.Requests[1].ErrorCode);
        Assert.Equal("4", activity.Requests[1].RetryAfter);
        Assert.Equal(
            [
                new RecentError(2, _clock.GetUtcNow(), "request", "warning", "GET /v1/nothing", 404, null, "HTTP 404"),
                new RecentError(1, _clock.GetUtcNow(), "request", "warning", "POST /v1/responses", 429, "server_busy", "busy"),
            ],
            activity.Errors);
    }

    [Fact]
    public void A_server_error_is_an_error_and_a_code_falls_back_to_the_type()
    {
        var activity = new RecentActivity(_clock);

        activity.AddRequest(_clock.GetUtcNow(), "POST", "/v1/messages", 529, 3, 2, aborted: false, new ErrorBody("Overloaded", "overloaded_error", null), null);

        var error = Assert.Single(activity.Errors);
        Assert.Equal(("error", "overloaded_error"), (error.Level, error.Code));
        Assert.Equal("overloaded_error", activity.Requests[0].ErrorCode);
    }

    [Fact]
    public void Logged_lines_are_listed_and_long_messages_are_cut()
    {
        var activity = new RecentActivity(_clock);

        activity.AddLogged(_clock.GetUtcNow(), "error", "ClaudeActors.Supervision.TurnSupervisor", new string('x', 2000));

        var error = Assert.Single(activity.Errors);
        Assert.Equal(("log", "error", "ClaudeActors.Supervision.TurnSupervisor"), (error.Source, error.Level, error.Where));
        Assert.Equal(RecentActivity.MessageLimit, error.Message.Length);
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, activity.Total);
    }

    [Fact]
    public void The_rings_are_bounded()
    {
        var activity = new RecentActivity(_clock);

        for (var i = 0; i < RecentActivity.RequestCapacity + 50; i++)
        {
            activity.AddRequest(_clock.GetUtcNow(), "GET", "/v1/x", 500, 1, null, aborted: false, error: null, retryAfter: null);
        }

        Assert.Equal(RecentActivity.RequestCapacity, activity.Requests.Count);
        Assert.Equal(RecentActivity.ErrorCapacity, activity.Errors.Count);
        Assert.Equal(RecentActivity.RequestCapacity + 50, activity.Failed);
        Assert.Equal(RecentActivity.RequestCapacity + 50, activity.Requests[0].Seq);
    }
}
