using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Security;

/// <summary>
/// A web page in a browser on this machine reaches the loopback server too. DNS rebinding sends the page's own name as
/// <c>Host</c>, a page of another site sends its <c>Origin</c>, and a cross-site "simple" request can only carry a
/// non-JSON body: each is refused in the OpenAI error shape before anything runs. Clients that are not browsers pass.
/// </summary>
public sealed class BrowserRequestTests
{
    [Theory]
    [InlineData("GET", "v1/sessions")]
    [InlineData("GET", "v1/models")]
    [InlineData("POST", "v1/chat/completions")]
    public async Task A_Host_that_is_not_a_loopback_name_gets_400(string method, string path)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var request = method == "POST" ? RawRequest.Chat("hi") with { Host = "rebound.example:8765" } : new RawRequest(new HttpMethod(method), path) { Host = "rebound.example" };

        var (status, error) = await request.ErrorAsync(gateway.Http);

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("host_not_allowed", error.GetProperty("code").GetString());
        Assert.Empty(upstream.Requests);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:3000")]
    [InlineData("LOCALHOST:8765")]
    [InlineData("127.0.0.1:1")]
    [InlineData("[::1]:8765")]
    [InlineData("app.localhost:8765")]
    public async Task Loopback_host_names_on_any_port_are_answered(string host)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await new RawRequest(HttpMethod.Get, "v1/models") { Host = host }.SendAsync(gateway.Http);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Configured_hosts_replace_the_loopback_names_and_a_star_allows_every_host()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var proxied = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Server:AllowedHosts"] = "api.example.com; *.internal.example");
        await using var open = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Server:AllowedHosts:0"] = "*");

        Assert.Equal(200, await StatusAsync(proxied, "api.example.com"));
        Assert.Equal(200, await StatusAsync(proxied, "node1.internal.example:443"));
        Assert.Equal(400, await StatusAsync(proxied, "localhost"));
        Assert.Equal(200, await StatusAsync(open, "anything.example"));

        static async Task<int> StatusAsync(TestGateway gateway, string host)
        {
            using var response = await new RawRequest(HttpMethod.Get, "v1/models") { Host = host }.SendAsync(gateway.Http);
            return (int)response.StatusCode;
        }
    }

    [Theory]
    [InlineData("GET", "https://evil.example")]
    [InlineData("POST", "https://evil.example")]
    [InlineData("POST", "http://localhost.evil.example")]
    [InlineData("POST", "null")]
    public async Task A_request_from_a_foreign_web_origin_gets_403(string method, string origin)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var request = method == "POST" ? RawRequest.Chat("hi") : new RawRequest(HttpMethod.Get, "v1/sessions");

        var (status, error) = await (request with { Origin = origin }).ErrorAsync(gateway.Http);

        Assert.Equal(403, status);
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal("origin_not_allowed", error.GetProperty("code").GetString());
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Loopback_origins_and_requests_without_an_origin_are_taken()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        foreach (var origin in (string?[])[null, "http://localhost:3000", "http://127.0.0.1:8765", "https://[::1]", "http://ui.localhost:5173"])
        {
            using var response = await (RawRequest.Chat("hi") with { Origin = origin }).SendAsync(gateway.Http);
            Assert.True(response.IsSuccessStatusCode, $"{origin}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Configured_origins_replace_the_loopback_ones()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Server:AllowedOrigins:0"] = "https://chat.example.com");

        using var allowed = await new RawRequest(HttpMethod.Get, "v1/models") { Origin = "https://chat.example.com" }.SendAsync(gateway.Http);
        using var otherPort = await new RawRequest(HttpMethod.Get, "v1/models") { Origin = "https://chat.example.com:8443" }.SendAsync(gateway.Http);
        using var loopback = await new RawRequest(HttpMethod.Get, "v1/models") { Origin = "http://localhost:3000" }.SendAsync(gateway.Http);

        Assert.Equal(200, (int)allowed.StatusCode);
        Assert.Equal(403, (int)otherPort.StatusCode);
        Assert.Equal(403, (int)loopback.StatusCode);
    }

    /// <summary>The attack: a page posts a form or a <c>text/plain</c> body into an existing conversation.</summary>
    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task A_body_that_is_not_JSON_gets_415_and_runs_no_turn(string? contentType)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "victim", "hello");

        var (status, error) = await (RawRequest.Chat("do something else", "victim") with { ContentType = contentType }).ErrorAsync(gateway.Http);
        var (forkStatus, _) = await new RawRequest(HttpMethod.Post, "v1/sessions/victim/fork") { Body = """{"session_id":"copy"}""", ContentType = contentType }.ErrorAsync(gateway.Http);

        Assert.Equal(415, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("unsupported_media_type", error.GetProperty("code").GetString());
        Assert.Equal(415, forkStatus);
        Assert.Single(upstream.MessageRequests);
        Assert.Equal(1, (await SessionApi.GetAsync(gateway.Http, "victim")).GetProperty("turns").GetInt32());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=UTF-8")]
    [InlineData("application/vnd.example+json")]
    public async Task JSON_content_types_are_taken(string contentType)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await (RawRequest.Chat("hi") with { ContentType = contentType }).SendAsync(gateway.Http);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_fork_without_a_body_needs_no_content_type()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "trunk", "hello");

        using var forked = await gateway.Http.PostAsync("v1/sessions/trunk/fork", null);

        Assert.Equal(201, (int)forked.StatusCode);
    }
}
