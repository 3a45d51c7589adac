using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Models;

namespace ClaudeActors.IntegrationTests.Models;

public sealed class ModelsEndpointTests
{
    [Fact]
    public async Task The_model_list_holds_the_CLI_aliases_extra_ids_and_mapped_OpenAI_names()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Models:ExtraModels:0"] = "claude-sonnet-4-6");
        var client = new OpenAIModelClient(new System.ClientModel.ApiKeyCredential("x"), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl, "v1") });

        OpenAIModelCollection models = await client.GetModelsAsync();

        var ids = models.Select(m => m.Id).ToList();
        foreach (var id in (string[])["default", "best", "sonnet", "opus", "haiku", "sonnet[1m]", "opus[1m]", "opusplan", "claude-sonnet-4-6", "gpt-4o", "gpt-4o-mini", "gpt-4"])
        {
            Assert.Contains(id, ids);
        }

        Assert.All(models, m => Assert.Equal("anthropic", m.OwnedBy));
    }

    [Fact]
    public async Task One_model_is_found_by_id_and_an_unknown_one_is_404()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var known = await gateway.Http.GetAsync("v1/models/gpt-4o");
        using var bracket = await gateway.Http.GetAsync("v1/models/sonnet[1m]");
        using var unknown = await gateway.Http.GetAsync("v1/models/gpt-99");

        var model = await Sse.JsonAsync(known);
        Assert.Equal("gpt-4o", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal("sonnet", model.GetProperty("maps_to").GetString());
        Assert.Equal(200, (int)bracket.StatusCode);
        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Equal("model_not_found", (await Sse.JsonAsync(unknown)).GetProperty("error").GetProperty("code").GetString());
    }
}
