using ClaudeActors.Server.Security;

namespace ClaudeActors.UnitTests.Security;

public sealed class BindingRuleTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8765", true)]
    [InlineData("http://localhost:8765", true)]
    [InlineData("http://[::1]:8765", true)]
    [InlineData("http://127.0.0.2:0", true)]
    [InlineData("http://0.0.0.0:8765", false)]
    [InlineData("http://[::]:8765", false)]
    [InlineData("http://*:8765", false)]
    [InlineData("http://+:8765", false)]
    [InlineData("http://10.0.0.5:8765", false)]
    [InlineData("http://example.com:80", false)]
    public void IsLoopback_tells_loopback_addresses_from_the_rest(string url, bool loopback) =>
        Assert.Equal(loopback, BindingRule.IsLoopback(url));

    [Fact]
    public void Without_keys_only_loopback_may_be_bound_unless_allowed()
    {
        Assert.Null(BindingRule.Refusal(["http://127.0.0.1:1"], anyKey: false, allowUnauthenticated: false));
        Assert.Contains("http://0.0.0.0:1", BindingRule.Refusal(["http://127.0.0.1:1", "http://0.0.0.0:1"], anyKey: false, allowUnauthenticated: false), StringComparison.Ordinal);
        Assert.Null(BindingRule.Refusal(["http://0.0.0.0:1"], anyKey: true, allowUnauthenticated: false));
        Assert.Null(BindingRule.Refusal(["http://0.0.0.0:1"], anyKey: false, allowUnauthenticated: true));
    }
}
