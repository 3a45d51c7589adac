using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.Telemetry;
using ClaudeActors.Telemetry;
using Serilog;
using Serilog.Formatting.Display;

namespace ClaudeActors.UnitTests.Logging;

/// <summary>Text log lines end with the request's id while a request runs, and with nothing otherwise.</summary>
public sealed class RequestIdLogLineTests
{
    [Fact]
    public async Task A_line_logged_during_a_request_ends_with_its_id_and_wins_over_a_RequestId_already_there()
    {
        var sink = new CapturingSink();
        using var logger = new LoggerConfiguration()
            .Enrich.With<RequestIdEnricher>()
            .Enrich.With<RequestIdSuffix>()
            .WriteTo.Sink(sink)
            .CreateLogger();

        await Task.Run(() =>
        {
            RequestContext.Set("req-7");
            logger.ForContext(ClaudeActorsTelemetry.RequestIdProperty, "0HNQ:00000001").Information("inside {What}", "a request");
        });
        logger.Information("outside");

        var formatter = new MessageTemplateTextFormatter(ClaudeActorsLogging.OutputTemplate);
        var lines = sink.Events.Select(e =>
        {
            using var writer = new StringWriter();
            formatter.Format(e, writer);
            return writer.ToString().TrimEnd();
        }).ToList();
        Assert.EndsWith(": inside a request (req req-7)", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(": outside", lines[1], StringComparison.Ordinal);
        Assert.Equal("\"req-7\"", sink.Events[0].Properties[ClaudeActorsTelemetry.RequestIdProperty].ToString());
    }
}
