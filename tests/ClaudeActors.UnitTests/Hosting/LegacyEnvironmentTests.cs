using System.Collections;
using ClaudeActors.Server.Hosting;

namespace ClaudeActors.UnitTests.Hosting;

public sealed class LegacyEnvironmentTests
{
    [Theory]
    [InlineData("CLAUDE_MAX_CONCURRENCY", "ClaudeActors:Workers:MaxConcurrency")]
    [InlineData("CLAUDE_TIMEOUT", "ClaudeActors:Workers:TimeoutSeconds")]
    [InlineData("CLAUDE_MAX_RETRIES", "ClaudeActors:Retry:MaxRetries")]
    [InlineData("CLAUDE_BASE_BACKOFF", "ClaudeActors:Retry:BaseBackoffSeconds")]
    [InlineData("CLAUDE_API_PORT", "ClaudeActors:Server:Port")]
    [InlineData("CLAUDE_API_HOST", "ClaudeActors:Server:BindAddress")]
    [InlineData("CLAUDE_DEFAULT_MODEL", "ClaudeActors:Models:DefaultModel")]
    [InlineData("CLAUDE_BIN", "ClaudeActors:Cli:BinaryPath")]
    [InlineData("SESSION_TTL_SECONDS", "ClaudeActors:Sessions:TtlSeconds")]
    [InlineData("API_KEY", "ClaudeActors:Auth:ApiKey")]
    [InlineData("DEFAULT_MODEL", "ClaudeActors:Models:DefaultModel")]
    [InlineData("FALLBACK_MODEL", "ClaudeActors:Cli:FallbackModel")]
    [InlineData("MAX_CONCURRENT", "ClaudeActors:Workers:MaxConcurrency")]
    [InlineData("MAX_BUDGET_USD", "ClaudeActors:Cli:MaxBudgetUsd")]
    [InlineData("WORKING_DIRECTORY", "ClaudeActors:Cli:WorkingDirectory")]
    public void Read_LegacyVariable_MapsToItsKey(string variable, string key)
    {
        var values = LegacyEnvironment.Read(new Hashtable { [variable] = "v-" + variable });

        var (actualKey, value) = Assert.Single(values);
        Assert.Equal(key, actualKey);
        Assert.Equal("v-" + variable, value);
    }

    [Fact]
    public void Names_CoverEveryLegacyVariable()
    {
        Assert.Equal(9, LegacyEnvironment.Names.Count);
    }

    [Fact]
    public void Read_EmptyValues_AreIgnored()
    {
        var values = LegacyEnvironment.Read(new Hashtable { ["CLAUDE_TIMEOUT"] = "", ["CLAUDE_BIN"] = "/usr/local/bin/claude" });

        var (key, value) = Assert.Single(values);
        Assert.Equal("ClaudeActors:Cli:BinaryPath", key);
        Assert.Equal("/usr/local/bin/claude", value);
    }

    [Fact]
    public void Read_OtherVariables_AreIgnored()
    {
        var values = LegacyEnvironment.Read(new Hashtable
        {
            ["PATH"] = "/usr/bin",
            ["CLAUDE_CODE_MAX_RETRIES"] = "3",
            ["ANTHROPIC_API_KEY"] = "sk-x",
        });

        Assert.Empty(values);
    }

    [Fact]
    public void Read_ResultKeys_AreCaseInsensitive()
    {
        var values = LegacyEnvironment.Read(new Dictionary<string, string> { ["CLAUDE_API_PORT"] = "8000" });

        Assert.Equal("8000", values["claudeactors:server:port"]);
    }
}
