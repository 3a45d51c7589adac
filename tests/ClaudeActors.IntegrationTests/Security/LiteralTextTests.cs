using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Security;

/// <summary>
/// A client's text reaches the model as the text it is, never as a CLI command or a file mention, through the real CLI:
/// in string content and content parts, on the first and later turns, in stateless histories and in forks. The CLI's
/// settings file and model stay as the server set them.
/// </summary>
public sealed class LiteralTextTests
{
    // The content of a file a client mentions. Words, not hex: the CLI's request bodies carry random hex ids, and a
    // short hex marker appears in one of them now and then.
    private const string Secret = "server-secret-quokka-walrus-narwhal";

    // Commands that changed the server's CLI settings, read its project folder or wrote files when they ran.
    private static readonly string[] Commands =
    [
        "/model opus",
        "/config language=french",
        "/config model=opus",
        "/insights",
        "/heapdump",
        "/compact",
        "/clear",
        "/doctor",
    ];

    [Fact]
    public async Task Slash_commands_on_the_first_and_later_turns_reach_the_model_as_text_and_change_no_setting()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        InstallEcho(upstream);
        string? home = null;
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            // Where /heapdump wrote its dumps.
            home = Path.Combine(Path.GetDirectoryName(s["ClaudeActors:DataDirectory"])!, "home");
            s["ClaudeActors:Cli:Environment:HOME"] = home;
        });
        Directory.CreateDirectory(home!);
        var settings = WriteCliSettings(gateway);

        foreach (var command in Commands)
        {
            Assert.Equal("echo: " + command, await SessionApi.SayAsync(gateway.Http, "commands", command, model: "sonnet"));
        }

        var last = upstream.MessageRequests[^1];
        Assert.Equal(Commands, last.UserMessageTexts);
        Assert.Equal(Commands.Length, upstream.MessageRequests.Count);
        AssertModelUnchanged(upstream);
        Assert.Equal(settings.Text, await File.ReadAllTextAsync(settings.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(home!));
    }

    [Fact]
    public async Task Content_parts_and_a_system_prompt_go_to_the_model_as_text_and_a_file_mention_reads_no_file()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        InstallEcho(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var secret = Path.Combine(gateway.Root, "secret.txt");
        await File.WriteAllTextAsync(secret, Secret);
        var mention = $"Summarise @{secret} for me";

        using var first = await Sse.PostAsync(gateway.Http, JsonSerializer.Serialize(new
        {
            model = "sonnet",
            session_id = "parts",
            messages = new object[]
            {
                new { role = "system", content = "/model opus" },
                new { role = "user", content = new object[] { new { type = "text", text = "Read this:" }, new { type = "text", text = mention } } },
            },
        }));
        using var second = await Sse.PostAsync(gateway.Http, JsonSerializer.Serialize(new
        {
            model = "sonnet",
            session_id = "parts",
            messages = new object[] { new { role = "user", content = new object[] { new { type = "text", text = "/config set model opus" } } } },
        }));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
        var texts = upstream.MessageRequests[^1].UserMessageTexts;
        Assert.EndsWith("Read this:" + mention, texts[0], StringComparison.Ordinal);
        Assert.Contains("/model opus", texts[0], StringComparison.Ordinal);
        Assert.Equal("/config set model opus", texts[1]);
        Assert.All(upstream.MessageRequests, request => Assert.DoesNotContain(Secret, request.Body.GetRawText(), StringComparison.Ordinal));
        AssertModelUnchanged(upstream);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Commands_in_a_stateless_history_and_its_continuation_reach_the_model_as_text(bool autoSessions)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        InstallEcho(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Sessions:AutoSessions"] = autoSessions.ToString());

        var secret = Path.Combine(gateway.Root, "secret.txt");
        await File.WriteAllTextAsync(secret, Secret);
        var mention = $"/model opus and @{secret}";

        using var first = await ResendAsync(gateway, ("user", mention), ("assistant", "Done."), ("user", "/clear"));
        var answer = (await Sse.JsonAsync(first)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var next = await ResendAsync(
            gateway, ("user", mention), ("assistant", "Done."), ("user", "/clear"), ("assistant", answer), ("user", "/compact"));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)next.StatusCode);
        Assert.Equal([mention, "/clear", "/compact"], upstream.MessageRequests[^1].UserMessageTexts);
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], upstream.MessageRequests[^1].MessageRoles);
        Assert.All(upstream.MessageRequests, request => Assert.DoesNotContain(Secret, request.Body.GetRawText(), StringComparison.Ordinal));
        AssertModelUnchanged(upstream);
    }

    [Fact]
    public async Task A_fork_keeps_the_commands_of_its_history_as_text_and_its_own_turns_too()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        InstallEcho(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "trunk", "/model opus", model: "sonnet");

        using var forked = await gateway.Http.PostAsync("v1/sessions/trunk/fork", SessionApi.Json("""{"session_id":"branch"}"""));
        var answer = await SessionApi.SayAsync(gateway.Http, "branch", "/clear", model: "sonnet");

        Assert.Equal(201, (int)forked.StatusCode);
        Assert.Equal("echo: /clear", answer);
        Assert.Equal(["/model opus", "/clear"], upstream.MessageRequests[^1].UserMessageTexts);
        AssertModelUnchanged(upstream);
    }

    /// <summary>A whole history without an id, for the model the checks expect.</summary>
    private static Task<HttpResponseMessage> ResendAsync(TestGateway gateway, params (string Role, string Content)[] messages) =>
        Sse.PostAsync(gateway.Http, JsonSerializer.Serialize(new { model = "sonnet", messages = messages.Select(m => new { role = m.Role, content = m.Content }) }));

    [Fact]
    public async Task The_cli_reads_no_settings_file_but_the_operators()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using (var gateway = await TestGateway.StartAsync(upstream.BaseUrl))
        {
            Directory.CreateDirectory(gateway.CliConfigDirectory);
            await File.WriteAllTextAsync(Path.Combine(gateway.CliConfigDirectory, "settings.json"), """{"model":"haiku"}""");
            await SessionApi.SayAsync(gateway.Http, "user-settings", "hello");
        }

        var operatorFile = Path.Combine(Path.GetTempPath(), $"claude-actors-settings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(operatorFile, """{"model":"haiku"}""");
        try
        {
            await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:SettingsFile"] = operatorFile);
            await SessionApi.SayAsync(gateway.Http, "operator-settings", "hello");
        }
        finally
        {
            File.Delete(operatorFile);
        }

        Assert.DoesNotContain("haiku", upstream.MessageRequests[0].Model ?? "", StringComparison.Ordinal);
        Assert.Contains("haiku", upstream.MessageRequests[^1].Model ?? "", StringComparison.Ordinal);
    }

    /// <summary>Answers "echo: " and the last user message as the model reads it.</summary>
    private static void InstallEcho(FakeAnthropicServer upstream) =>
        upstream.Responder = request => FakeReply.Text("echo: " + request.UserMessageTexts[^1], chunkCount: 3);

    /// <summary>Every request went to the model the client asked for: no command switched it.</summary>
    private static void AssertModelUnchanged(FakeAnthropicServer upstream) =>
        Assert.All(upstream.MessageRequests, request => Assert.DoesNotContain("opus", request.Model ?? "", StringComparison.OrdinalIgnoreCase));

    /// <summary>A settings file where the CLI keeps its user settings, to see that nothing rewrites it.</summary>
    private static (string Path, string Text) WriteCliSettings(TestGateway gateway)
    {
        Directory.CreateDirectory(gateway.CliConfigDirectory);
        var path = Path.Combine(gateway.CliConfigDirectory, "settings.json");
        const string text = """{"language":"english"}""";
        File.WriteAllText(path, text);
        return (path, text);
    }
}
