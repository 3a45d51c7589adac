using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using ClaudeActors.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Workers;

internal static class WorkerHostingExtensions
{
    /// <summary>
    /// Starts the node's <see cref="StandbyProcesses"/> (registry key <see cref="StandbyProcesses"/>) and the stateless
    /// worker pool (key <see cref="CliWorkerPool"/>): <see cref="WorkerPoolOptions.MaxConcurrency"/> <see cref="CliWorker"/>s
    /// behind an <see cref="IdleWorkerPool"/> router under <see cref="CliWorker.PoolStrategy"/>. Their dependencies come
    /// from the service provider (<see cref="AddCliWorkerServices"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithCliWorkers(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry, resolver) =>
        {
            var launcher = resolver.GetService<WarmProcessLauncher>();
            var loggers = resolver.GetService<ILoggerFactory>();
            var standby = launcher.Options.Standby > 0
                ? system.ActorOf(StandbyProcesses.Props(launcher, loggers.CreateLogger<StandbyProcesses>()), "standby-processes")
                : ActorRefs.Nobody;
            registry.Register<StandbyProcesses>(standby);

            var options = resolver.GetService<IOptions<WorkerPoolOptions>>().Value;
            var worker = CliWorker.Props(
                launcher,
                standby,
                resolver.GetService<WorkerClaims>(),
                options,
                system.Materializer(namePrefix: "cli-workers"),
                resolver.GetService<TimeProvider>(),
                loggers.CreateLogger<CliWorker>(),
                resolver.GetService<Usage.UsageClient>());
            var pool = system.ActorOf(
                worker.WithRouter(new IdleWorkerPool(options.MaxConcurrency, resolver.GetService<WorkerClaims>(), CliWorker.PoolStrategy())),
                "cli-workers");
            registry.Register<CliWorkerPool>(pool);
        });

    /// <summary>What the pool and the standby set need from the service provider, and the caller's side of the pool.</summary>
    public static IServiceCollection AddCliWorkerServices(this IServiceCollection services)
    {
        services.AddSingleton<WorkerClaims>();
        services.AddSingleton<WarmProcessLauncher>();
        services.AddSingleton<CliWorkerClient>();
        return services;
    }
}
