using System.Collections;
using ClaudeActors.Server.Hosting;

namespace ClaudeActors.UnitTests.Hosting;

/// <summary>The second seed gateway's environment names (its settings table) configure this server.</summary>
public sealed class SecondGatewayEnvironmentTests
{
    [Theory]
    [InlineData("MAX_CONCURRENT", "CLAUDE_MAX_CONCURRENCY", "ClaudeActors:Workers:MaxConcurrency")]
    [InlineData("DEFAULT_MODEL", "CLAUDE_DEFAULT_MODEL", "ClaudeActors:Models:DefaultModel")]
    public void Read_BothGatewaysNameOneSetting_TheFirstGatewaysNameWins(string second, string first, string key)
    {
        // Both orders of insertion, so no enumeration order of the environment decides it.
        foreach (var environment in (Hashtable[])[new() { [second] = "second", [first] = "first" }, new() { [first] = "first", [second] = "second" }])
        {
            var values = LegacyEnvironment.Read(environment);

            Assert.Equal("first", values[key]);
        }
    }

    [Fact]
    public void Read_HostAndPort_AreNotTaken()
    {
        // Generic names that shells and platforms set: HOST=0.0.0.0 must not undo the loopback default.
        var values = LegacyEnvironment.Read(new Hashtable { ["HOST"] = "0.0.0.0", ["PORT"] = "8000" });

        Assert.Empty(values);
    }

    [Fact]
    public void Read_ModelMap_GivesOneMapKeyPerEntry()
    {
        var values = LegacyEnvironment.Read(new Hashtable { ["MODEL_MAP"] = """{"gpt-4":"opus","my-model":"haiku"}""" });

        Assert.Equal(2, values.Count);
        Assert.Equal("opus", values["ClaudeActors:Models:Map:gpt-4"]);
        Assert.Equal("haiku", values["ClaudeActors:Models:Map:my-model"]);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""["gpt-4","opus"]""", "it is a JSON array")]
    [InlineData("""{"gpt-4":1}""", "\"gpt-4\"")]
    [InlineData("""{"gpt-4":""}""", "\"gpt-4\"")]
    [InlineData("""{"a:b":"opus"}""", "\"a:b\"")]
    public void Read_BadModelMap_StopsStartUpNamingTheVariable(string json, string detail)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => LegacyEnvironment.Read(new Hashtable { ["MODEL_MAP"] = json }));

        Assert.StartsWith("MODEL_MAP must be a JSON object", ex.Message, StringComparison.Ordinal);
        Assert.Contains(detail, ex.Message, StringComparison.Ordinal);
    }
}
