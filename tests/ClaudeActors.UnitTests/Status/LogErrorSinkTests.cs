using ClaudeActors.Server.Status;
using Serilog.Events;
using Serilog.Parsing;

namespace ClaudeActors.UnitTests.Status;

public sealed class LogErrorSinkTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 4, 5, 6, TimeSpan.FromHours(2));

    [Fact]
    public void Warnings_and_errors_are_listed_with_their_category_and_exception_type()
    {
        var activity = new RecentActivity(new StepClock());
        var sink = new LogErrorSink(activity);

        sink.Emit(Event(LogEventLevel.Information, "ClaudeActors.A", "started", null));
        sink.Emit(Event(LogEventLevel.Warning, "ClaudeActors.Supervision.TurnSupervisor", "Turn failed after {Attempts} attempt(s)", null, ("Attempts", 3)));
        sink.Emit(Event(LogEventLevel.Error, null, "Journal write failed", new IOException("disk full")));

        Assert.Equal(
            [
                new RecentError(2, At.ToUniversalTime(), "log", "error", "server", null, null, "Journal write failed (IOException)"),
                new RecentError(1, At.ToUniversalTime(), "log", "warning", "ClaudeActors.Supervision.TurnSupervisor", null, null, "Turn failed after 3 attempt(s)"),
            ],
            activity.Errors);
        Assert.Equal(0, activity.Total);
    }

    private static LogEvent Event(LogEventLevel level, string? category, string template, Exception? exception, params (string Name, object Value)[] properties)
    {
        var all = properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))).ToList();
        if (category is not null)
        {
            all.Add(new LogEventProperty(Serilog.Core.Constants.SourceContextPropertyName, new ScalarValue(category)));
        }

        return new LogEvent(At, level, exception, new MessageTemplateParser().Parse(template), all);
    }
}
