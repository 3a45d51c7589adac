using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>
/// The id in a Session API path is one segment, percent-decoded exactly once: <c>a/b</c> is <c>a%2Fb</c>, <c>a%2Fb</c>
/// is <c>a%252Fb</c>, and a '/' sent as itself (or a dot segment) is no part of an id.
/// </summary>
public sealed class SessionPathTests
{
    private static readonly string[] Ids = ["a/b", "a%2Fb", "a", "b"];

    [Fact]
    public async Task Ids_with_a_slash_or_a_literal_percent_2F_are_each_reached_by_their_own_path()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await StartWithConversationsAsync(upstream);

        (string Path, string Id)[] paths = [("a%2Fb", "a/b"), ("a%2fb", "a/b"), ("a%252Fb", "a%2Fb"), ("a", "a"), ("b", "b")];
        foreach (var (path, id) in paths)
        {
            var session = await GetAsync(gateway, path);
            Assert.Equal(id, session.GetProperty("id").GetString());
            Assert.Contains("I am " + id, session.GetProperty("history")[0].GetProperty("request").GetRawText(), StringComparison.Ordinal);
        }

        using var forked = await gateway.Http.PostAsync("v1/sessions/a%252Fb/fork", SessionApi.Json("""{"session_id":"c/d"}"""));
        Assert.Equal(201, (int)forked.StatusCode);
        Assert.Equal("a%2Fb", (await Sse.JsonAsync(forked)).GetProperty("forked_from").GetString());
        Assert.Equal("a%2Fb", (await GetAsync(gateway, "c%2Fd")).GetProperty("forked_from").GetString());
    }

    [Fact]
    public async Task Deleting_one_conversation_never_removes_another()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await StartWithConversationsAsync(upstream);
        var left = Ids.ToList();

        (string Path, string Id)[] paths = [("a%2Fb", "a/b"), ("a%252Fb", "a%2Fb"), ("a", "a"), ("b", "b")];
        foreach (var (path, id) in paths)
        {
            using var deleted = await gateway.Http.DeleteAsync("v1/sessions/" + path);
            using var gone = await gateway.Http.GetAsync("v1/sessions/" + path);

            Assert.Equal(200, (int)deleted.StatusCode);
            Assert.Equal(id, (await Sse.JsonAsync(deleted)).GetProperty("id").GetString());
            Assert.Equal(404, (int)gone.StatusCode);
            left.Remove(id);
            Assert.Equal(left.Order(StringComparer.Ordinal), await ListAsync(gateway));
        }
    }

    [Fact]
    public async Task A_path_whose_id_is_not_one_encoded_segment_names_no_session_and_removes_nothing()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await StartWithConversationsAsync(upstream);
        (string Method, string Target)[] requests =
        [
            ("GET", "/v1/sessions/a/b"),
            ("DELETE", "/v1/sessions/a/b"),
            ("POST", "/v1/sessions/a/b/fork"),
            ("DELETE", "/v1/sessions/b/%2E%2E/a"),
            ("DELETE", "/v1/sessions/b/../a"),
            ("DELETE", "/v1/sessions/x/%2e%2E/b"),
            ("DELETE", "/v1/sessions/%zz"),
        ];

        foreach (var (method, target) in requests)
        {
            var (status, body) = await RawHttp.SendAsync(gateway.BaseUrl, method, target);

            Assert.True(status == 404, $"{method} {target}: {status} {body}");
            // A raw '/' makes a URL the server does not serve; a dot segment Kestrel removed names no session.
            Assert.Contains(Sse.Json(body).GetProperty("error").GetProperty("code").GetString(), (string[])["unknown_url", "session_not_found"]);
            Assert.Equal(Ids.Order(StringComparer.Ordinal), await ListAsync(gateway));
        }
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task A_dot_segment_is_no_session_id(string id)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await SessionApi.PostAsync(gateway.Http, id, "hi");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_session_id", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>A gateway with the conversations <see cref="Ids"/>, one turn each.</summary>
    private static async Task<TestGateway> StartWithConversationsAsync(FakeAnthropicServer upstream)
    {
        var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        foreach (var id in Ids)
        {
            await SessionApi.SayAsync(gateway.Http, id, "I am " + id);
        }

        return gateway;
    }

    private static async Task<JsonElement> GetAsync(TestGateway gateway, string path)
    {
        using var response = await gateway.Http.GetAsync("v1/sessions/" + path);
        Assert.Equal(200, (int)response.StatusCode);
        return await Sse.JsonAsync(response);
    }

    private static async Task<IEnumerable<string>> ListAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("v1/sessions?limit=100");
        var data = (await Sse.JsonAsync(response)).GetProperty("data").EnumerateArray();
        return data.Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
    }
}
