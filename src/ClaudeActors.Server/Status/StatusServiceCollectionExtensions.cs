using Serilog;

namespace ClaudeActors.Server.Status;

internal static class StatusServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the status page needs (the node's recent activity, the reporter) and returns the Serilog
    /// configuration that lists logged warnings and errors among its recent errors.
    /// </summary>
    public static Action<LoggerConfiguration> AddStatusPage(this IServiceCollection services, TimeProvider? time = null)
    {
        var activity = new RecentActivity(time ?? TimeProvider.System);
        services.AddSingleton(activity);
        services.AddSingleton<StatusReporter>();
        return log => log.WriteTo.Sink(new LogErrorSink(activity), LogErrorSink.Level);
    }

    /// <summary>Records every request for the status page; goes first, so it sees each answer as the client gets it.</summary>
    public static WebApplication UseRequestRecording(this WebApplication app)
    {
        app.UseMiddleware<RequestRecorder>();
        return app;
    }
}
