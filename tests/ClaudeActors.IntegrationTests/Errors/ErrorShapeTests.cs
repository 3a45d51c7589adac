using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Errors;

/// <summary>Unknown routes, wrong methods and bad query values answer in the OpenAI error shape, never with an empty body.</summary>
public sealed class ErrorShapeTests
{
    [Theory]
    [InlineData("GET", "v1/nope", 404, "unknown_url")]
    [InlineData("POST", "", 405, "method_not_allowed")]
    [InlineData("GET", "index.html", 404, "unknown_url")]
    [InlineData("POST", "v1/embeddings", 404, "unknown_url")]
    [InlineData("GET", "v1/sessions/a/b/c", 404, "unknown_url")]
    [InlineData("GET", "v1/chat/completions", 405, "method_not_allowed")]
    [InlineData("GET", "v1/completions", 405, "method_not_allowed")]
    [InlineData("PUT", "v1/models", 405, "method_not_allowed")]
    [InlineData("POST", "v1/sessions/some-id", 405, "method_not_allowed")]
    [InlineData("GET", "v1/sessions/some-id/fork", 405, "method_not_allowed")]
    [InlineData("DELETE", "v1/sessions", 405, "method_not_allowed")]
    public async Task An_unknown_route_gets_404_and_a_wrong_method_405(string method, string path, int expected, string code)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var request = new RawRequest(new HttpMethod(method), path) { Body = method is "POST" or "PUT" ? "{}" : null };

        var (status, error) = await request.ErrorAsync(gateway.Http);

        Assert.Equal(expected, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains($"{method} /{path}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("after=", "after")]
    [InlineData("after=a&after=b", "after")]
    [InlineData("after=%01", "after")]
    public async Task A_bad_session_list_query_gets_400_naming_the_parameter(string query, string param)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var (status, error) = await new RawRequest(HttpMethod.Get, "v1/sessions?" + query).ErrorAsync(gateway.Http);

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
