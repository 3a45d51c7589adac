using ClaudeActors.Cli.Process;

namespace ClaudeActors.UnitTests.Cli;

/// <summary>The server's own API keys never reach a CLI process's environment.</summary>
public sealed class ServerSecretsTests
{
    [Theory]
    [InlineData("API_KEY", true)]
    [InlineData("api_key", true)]
    [InlineData("ClaudeActors__Auth__ApiKey", true)]
    [InlineData("CLAUDEACTORS__AUTH__KEYS__0__HASH", true)]
    [InlineData("ANTHROPIC_API_KEY", false)]
    [InlineData("ClaudeActors__Journal__ConnectionString", true)]
    [InlineData("ConnectionStrings__Journal", true)]
    [InlineData("PATH", false)]
    public void The_servers_own_settings_are_kept_from_the_CLI(string name, bool secret) =>
        Assert.Equal(secret, ClaudeProcess.IsServerSecret(name));
}
