using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.Security;

namespace ClaudeActors.UnitTests.Security;

public sealed class HostPolicyTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:8765", true)]
    [InlineData("LocalHost:1", true)]
    [InlineData("127.0.0.1:8765", true)]
    [InlineData("[::1]:8765", true)]
    [InlineData("[::1]", true)]
    [InlineData("ui.localhost:3000", true)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("evil.example", false)]
    [InlineData("127.0.0.2", false)]
    [InlineData("0.0.0.0:8765", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Allows_LoopbackNamesByDefault(string? host, bool allowed)
    {
        Assert.Equal(allowed, new HostPolicy(ServerOptions.LoopbackHosts).Allows(host));
    }

    [Fact]
    public void Allows_EveryHostWithAStar()
    {
        Assert.True(new HostPolicy(["*"]).Allows("anything.example:80"));
    }

    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("[fe80::1]", true)]
    [InlineData("*", true)]
    [InlineData("api.example.com:443", false)]
    [InlineData("https://api.example.com", false)]
    [InlineData("api.example.com/v1", false)]
    [InlineData("", false)]
    [InlineData("a*b.example.com", false)]
    public void IsValidPattern_TakesNamesAndAddressesOnly(string pattern, bool valid)
    {
        Assert.Equal(valid, HostPolicy.IsValidPattern(pattern));
    }
}
