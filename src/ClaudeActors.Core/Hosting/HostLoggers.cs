using Akka.Actor;
using Akka.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClaudeActors.Hosting;

/// <summary>
/// The host's <see cref="ILoggerFactory"/> for actors and start-up tasks: our own lines go through the application's
/// logging pipeline (its Serilog), never through the process-wide logger Akka's own lines use.
/// </summary>
internal static class HostLoggers
{
    public static ILoggerFactory For(ActorSystem system) =>
        DependencyResolver.For(system).Resolver.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
