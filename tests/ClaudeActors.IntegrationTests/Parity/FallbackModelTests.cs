using System.Net;
using System.Text;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.Parity;

/// <summary>
/// <c>ClaudeActors:Cli:FallbackModel</c> end to end: the upstream answers 529 for the requested model and serves the
/// fallback; the real CLI falls back (<c>model_fallback</c>), and every surface's answer names the model that answered.
/// </summary>
public sealed class FallbackModelTests
{
    private static bool IsOpus(RecordedRequest request) => request.Model?.Contains("opus", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<(FakeAnthropicServer Upstream, TestGateway Gateway)> StartAsync(bool autoSessions = true)
    {
        var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => IsOpus(request)
            ? FakeReply.Overloaded()
            : FakeReply.Text("Answered by " + request.Model);
        var gateway = await TestGateway.StartAsync(upstream.BaseUrl, settings =>
        {
            settings["ClaudeActors:Cli:FallbackModel"] = "haiku";
            settings["ClaudeActors:Sessions:AutoSessions"] = autoSessions ? "true" : "false";
        });
        return (upstream, gateway);
    }

    [Fact]
    public async Task An_overloaded_model_is_answered_by_the_fallback_and_the_chat_completion_names_it()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        ChatCompletion completion = await gateway.OpenAiChat("opus").CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.StartsWith("claude-haiku", completion.Model, StringComparison.Ordinal);
        Assert.StartsWith("Answered by claude-haiku", completion.Content[0].Text, StringComparison.Ordinal);
        var models = upstream.MessageRequests.Select(r => r.Model).ToList();
        Assert.True(models.Count(m => m!.Contains("opus", StringComparison.Ordinal)) >= 3, "the CLI tried the requested model first: " + string.Join(", ", models));
        Assert.StartsWith("claude-haiku", models[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_streamed_chat_names_the_fallback_model_in_its_chunks()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        using var response = await Sse.PostAsync(gateway.Http, """{"model":"opus","stream":true,"messages":[{"role":"user","content":"Hello"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chunks = Sse.DataLines(body).Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
        Assert.All(chunks, chunk => Assert.StartsWith("claude-haiku", chunk.GetProperty("model").GetString(), StringComparison.Ordinal));
        Assert.Contains("Answered by claude-haiku", string.Concat(chunks.Select(Content)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1/responses", """{"model":"opus","input":"Hello"}""")]
    [InlineData("v1/messages", """{"model":"opus","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""")]
    [InlineData("v1/completions", """{"model":"opus","prompt":"Hello"}""")]
    public async Task The_other_surfaces_name_the_model_that_answered(string path, string json)
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        using var response = await gateway.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        Assert.StartsWith("claude-haiku", document.RootElement.GetProperty("model").GetString(), StringComparison.Ordinal);
        Assert.Contains("Answered by claude-haiku", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stateless_request_falls_back_too()
    {
        var (upstream, gateway) = await StartAsync(autoSessions: false);
        await using var _ = upstream;
        await using var __ = gateway;

        ChatCompletion completion = await gateway.OpenAiChat("opus").CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.StartsWith("claude-haiku", completion.Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_answers_keeps_its_own_name()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        ChatCompletion completion = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.StartsWith("claude-sonnet", completion.Model, StringComparison.Ordinal);
        Assert.All(upstream.MessageRequests, r => Assert.StartsWith("claude-sonnet", r.Model, StringComparison.Ordinal));
    }

    private static string Content(JsonElement chunk) =>
        chunk.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
        && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : "";
}
