using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaudeActors.UnitTests.Serialization;

/// <summary>One ActorSystem for a test class, started by Akka.Hosting with the serialization <paramref name="configure"/> sets up.</summary>
public abstract class SerializationHost(string name, Action<AkkaConfigurationBuilder> configure) : IAsyncLifetime
{
    private readonly IHost _host = new HostBuilder()
        .ConfigureServices(services => services.AddAkka(name, configure))
        .Build();

    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();

    public Task InitializeAsync() => _host.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
