using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using ClaudeActors.Hosting;
using ClaudeActors.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace ClaudeActors.UnitTests.Logging;

/// <summary>Tests that set the process-wide <c>Serilog.Log.Logger</c> (Akka.Logger.Serilog writes to it): run alone.</summary>
[CollectionDefinition(nameof(StaticSerilogLogger), DisableParallelization = true)]
public sealed class StaticSerilogLogger;

/// <summary>Akka and ASP.NET Core's <c>ILogger</c> log through one Serilog pipeline, the server's.</summary>
[Collection(nameof(StaticSerilogLogger))]
public sealed class SerilogLoggingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnActorsLogLine_AndAnILoggerLine_ReachTheSameSerilogSink()
    {
        var sink = new CapturingSink();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new(ClaudeActorsLogging.LevelKey, "Warning")])
            .Build();
        using var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddClaudeActorsSerilog(configuration, logger => logger.WriteTo.Sink(sink));
                services.AddAkka("logging-tests", akka => akka
                    .WithSerilogLogging(Akka.Event.LogLevel.InfoLevel)
                    .WithActors((system, registry) => registry.Register<Talker>(system.ActorOf(Props.Create<Talker>(), "talker"))));
            })
            .Build();
        try
        {
            await host.StartAsync();

            var talker = await host.Services.GetRequiredService<IRequiredActor<Talker>>().GetAsync();
            talker.Tell("the-first-word");
            host.Services.GetRequiredService<ILogger<SerilogLoggingTests>>().LogWarning("The host says {Word}", "the-second-word");

            var fromActor = await sink.WaitForAsync(e => e.RenderMessage().Contains("the-first-word", StringComparison.Ordinal)).WaitAsync(Patience);
            var fromHost = await sink.WaitForAsync(e => e.RenderMessage().Contains("the-second-word", StringComparison.Ordinal)).WaitAsync(Patience);

            Assert.Equal(LogEventLevel.Warning, fromActor.Level);
            Assert.Equal("Talker heard \"the-first-word\"", fromActor.RenderMessage());
            Assert.Equal("\"the-first-word\"", fromActor.Properties["Word"].ToString());
            Assert.Contains("/user/talker", fromActor.Properties["ActorPath"].ToString(), StringComparison.Ordinal);
            Assert.Equal(LogEventLevel.Warning, fromHost.Level);
        }
        finally
        {
            await host.StopAsync();
            Serilog.Log.Logger = Serilog.Core.Logger.None;
        }
    }

    [Fact]
    public void Level_ComesFromTheSetting_OrIsInformation()
    {
        Assert.Equal(LogEventLevel.Debug, ClaudeActorsLogging.Level(Settings("debug")));
        Assert.Equal(LogEventLevel.Information, ClaudeActorsLogging.Level(Settings(null)));
        Assert.Equal(LogEventLevel.Information, ClaudeActorsLogging.Level(Settings("loud")));

        static IConfiguration Settings(string? level) =>
            new ConfigurationBuilder().AddInMemoryCollection([new(ClaudeActorsLogging.LevelKey, level)]).Build();
    }

    private sealed class Talker : ReceiveActor
    {
        public Talker()
        {
            var log = Context.GetLogger();
            Receive<string>(word => log.Warning("Talker heard {Word}", word));
        }
    }
}
