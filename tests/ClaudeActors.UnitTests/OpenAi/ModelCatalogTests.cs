using ClaudeActors.Server.OpenAi.Models;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.OpenAi;

public sealed class ModelCatalogTests
{
    private static ModelCatalog CreateCatalog(ModelOptions? options = null, TimeProvider? time = null) =>
        new(Options.Create(options ?? new ModelOptions()), time ?? TimeProvider.System);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("default")]
    [InlineData("auto")]
    [InlineData("claude")]
    [InlineData("claude-cli")]
    [InlineData("Claude-CLI")]
    [InlineData(" auto ")]
    public void Resolve_Placeholder_GivesNull(string? requested)
    {
        Assert.Null(CreateCatalog().Resolve(requested));
    }

    [Theory]
    [InlineData("")]
    [InlineData("default")]
    [InlineData("claude")]
    public void Resolve_PlaceholderWithDefaultModel_GivesTheDefault(string requested)
    {
        var catalog = CreateCatalog(new ModelOptions { DefaultModel = "haiku" });

        Assert.Equal("haiku", catalog.Resolve(requested));
    }

    [Fact]
    public void Resolve_PlaceholderWithMappedDefaultModel_GivesTheMappedName()
    {
        var catalog = CreateCatalog(new ModelOptions { DefaultModel = " gpt-4o " });

        Assert.Equal("sonnet", catalog.Resolve("auto"));
    }

    [Fact]
    public void Resolve_PlaceholderDefaultModel_GivesNull()
    {
        var catalog = CreateCatalog(new ModelOptions { DefaultModel = "auto" });

        Assert.Null(catalog.Resolve(""));
    }

    [Fact]
    public void Resolve_RealModelWithDefaultModelSet_IgnoresTheDefault()
    {
        var catalog = CreateCatalog(new ModelOptions { DefaultModel = "haiku" });

        Assert.Equal("opus", catalog.Resolve("opus"));
    }

    [Theory]
    [InlineData("gpt-4o", "sonnet")]
    [InlineData("gpt-4o-mini", "haiku")]
    [InlineData("gpt-4", "opus")]
    [InlineData("GPT-4O", "sonnet")]
    [InlineData("o3-mini", "sonnet")]
    public void Resolve_OpenAiName_IsMapped(string requested, string expected)
    {
        Assert.Equal(expected, CreateCatalog().Resolve(requested));
    }

    [Theory]
    [InlineData("sonnet")]
    [InlineData("opus[1m]")]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("some-unknown-model")]
    public void Resolve_UnknownOrCliName_PassesThroughUnchanged(string requested)
    {
        Assert.Equal(requested, CreateCatalog().Resolve(requested));
    }

    [Fact]
    public void Resolve_ConfiguredMap_Wins()
    {
        var options = new ModelOptions();
        options.Map["gpt-4o"] = "opus";
        options.Map["my-alias"] = "claude-haiku-4-5";

        var catalog = CreateCatalog(options);

        Assert.Equal("opus", catalog.Resolve("gpt-4o"));
        Assert.Equal("claude-haiku-4-5", catalog.Resolve("my-alias"));
    }

    [Fact]
    public void List_HoldsEveryCliAliasWithoutTarget()
    {
        var list = CreateCatalog().List().ToList();

        foreach (var alias in (string[])["default", "best", "sonnet", "opus", "haiku", "sonnet[1m]", "opus[1m]", "opusplan"])
        {
            Assert.Contains((alias, (string?)null), list);
        }
    }

    [Fact]
    public void List_HoldsExtraModelsAndMappedNames()
    {
        var catalog = CreateCatalog(new ModelOptions { ExtraModels = ["claude-sonnet-4-6", "sonnet"] });

        var list = catalog.List().ToList();

        Assert.Contains(("claude-sonnet-4-6", (string?)null), list);
        Assert.Contains(("gpt-4o", (string?)"sonnet"), list);
        Assert.Contains(("gpt-4o-mini", (string?)"haiku"), list);
        Assert.Contains(("gpt-4", (string?)"opus"), list);
        Assert.Equal(list.Count, list.Select(e => e.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(ModelCatalog.CliAliases.Count + 1 + new ModelOptions().Map.Count, list.Count);
    }

    [Fact]
    public void Find_IsCaseInsensitive()
    {
        var catalog = CreateCatalog();

        Assert.Equal(("gpt-4o", (string?)"sonnet"), catalog.Find("GPT-4o"));
        Assert.Equal(("opus", (string?)null), catalog.Find("OPUS"));
    }

    [Fact]
    public void Find_ClaudeId_IsKnown()
    {
        Assert.Equal(("claude-sonnet-4-5", (string?)null), CreateCatalog().Find("claude-sonnet-4-5"));
    }

    [Fact]
    public void Find_UnknownName_GivesNull()
    {
        Assert.Null(CreateCatalog().Find("llama-3"));
    }

    [Fact]
    public void Created_IsTheStartTimeOfTheTimeProvider()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), CreateCatalog(time: time).Created);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
