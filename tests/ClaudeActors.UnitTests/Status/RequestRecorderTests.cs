using System.Text;
using ClaudeActors.Server.Status;
using Microsoft.AspNetCore.Http;

namespace ClaudeActors.UnitTests.Status;

public sealed class RequestRecorderTests
{
    private readonly StepClock _clock = new();

    [Fact]
    public async Task Records_the_latency_and_the_time_to_the_first_byte_and_passes_the_body_through()
    {
        var activity = new RecentActivity(_clock);
        var (http, sent) = Request("POST", "/v1/chat/completions");

        await new RequestRecorder(
            async h =>
            {
                _clock.Advance(TimeSpan.FromMilliseconds(100));
                await h.Response.Body.FlushAsync();
                await h.Response.Body.WriteAsync(Array.Empty<byte>());
                _clock.Advance(TimeSpan.FromMilliseconds(20));
                await h.Response.Body.WriteAsync("data: one\n\n"u8.ToArray());
                _clock.Advance(TimeSpan.FromMilliseconds(30));
                h.Response.Body.Write("data: two\n\n"u8);
            },
            activity).InvokeAsync(http);

        Assert.Equal("data: one\n\ndata: two\n\n", Encoding.UTF8.GetString(sent.ToArray()));
        Assert.Same(sent, http.Response.Body);
        var request = Assert.Single(activity.Requests);
        Assert.Equal(new RecentRequest(1, new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero), "POST", "/v1/chat/completions", 200, 150, 120, false, null, null), request);
        Assert.Empty(activity.Errors);
    }

    [Fact]
    public async Task Records_an_error_answers_code_message_and_retry_after()
    {
        var activity = new RecentActivity(_clock);
        var (http, sent) = Request("POST", "/v1/responses");
        var body = """{"error":{"message":"All 2 Claude workers are busy","type":"rate_limit_error","param":null,"code":"server_busy"}}""";

        await new RequestRecorder(
            async h =>
            {
                h.Response.StatusCode = 429;
                h.Response.Headers.RetryAfter = "7";
                await h.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body)[..10]);
                await h.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body)[10..]);
            },
            activity).InvokeAsync(http);

        Assert.Equal(body, Encoding.UTF8.GetString(sent.ToArray()));
        var request = Assert.Single(activity.Requests);
        Assert.Equal((429, "server_busy", "7"), (request.Status, request.ErrorCode, request.RetryAfter));
        var error = Assert.Single(activity.Errors);
        Assert.Equal(("All 2 Claude workers are busy", "server_busy", "POST /v1/responses"), (error.Message, error.Code, error.Where));
    }

    [Fact]
    public async Task An_error_body_past_the_limit_passes_through_whole_and_is_listed_by_its_status()
    {
        var activity = new RecentActivity(_clock);
        var (http, sent) = Request("GET", "/v1/sessions/x");
        var body = Encoding.UTF8.GetBytes("{\"error\":{\"message\":\"" + new string('y', RecordingStream.Limit * 2) + "\"}}");

        await new RequestRecorder(
            async h =>
            {
                h.Response.StatusCode = 500;
                await h.Response.Body.WriteAsync(body);
            },
            activity).InvokeAsync(http);

        Assert.Equal(body, sent.ToArray());
        Assert.Equal("HTTP 500", Assert.Single(activity.Errors).Message);
    }

    [Fact]
    public async Task A_client_that_left_is_noted()
    {
        var activity = new RecentActivity(_clock);
        var (http, _) = Request("POST", "/v1/chat/completions");
        using var aborted = new CancellationTokenSource();
        http.RequestAborted = aborted.Token;

        await new RequestRecorder(
            _ =>
            {
                aborted.Cancel();
                return Task.CompletedTask;
            },
            activity).InvokeAsync(http);

        var request = Assert.Single(activity.Requests);
        Assert.True(request.Aborted);
        Assert.Null(request.FirstByteMs);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/v1/status")]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/favicon.ico")]
    [InlineData("/metrics")]
    public async Task The_status_page_its_polls_health_probes_and_metrics_scrapes_are_not_recorded(string path)
    {
        var activity = new RecentActivity(_clock);
        var (http, _) = Request("GET", path);
        var ran = false;

        await new RequestRecorder(
            _ =>
            {
                ran = true;
                return Task.CompletedTask;
            },
            activity).InvokeAsync(http);

        Assert.True(ran);
        Assert.Equal(0, activity.Total);
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/statuses")]
    [InlineData("/healthz")]
    [InlineData("/metricsz")]
    [InlineData("/index.html")]
    public void Other_paths_are_recorded(string path) => Assert.False(StatusEndpoints.IsUnrecorded(path));

    private static (DefaultHttpContext Http, MemoryStream Sent) Request(string method, string path)
    {
        var sent = new MemoryStream();
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        http.Response.Body = sent;
        return (http, sent);
    }
}
