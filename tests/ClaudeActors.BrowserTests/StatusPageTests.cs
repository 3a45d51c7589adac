using System.ClientModel;
using System.Text;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using Microsoft.Playwright;
using OpenAI.Chat;

namespace ClaudeActors.BrowserTests;

/// <summary>
/// The status page in a real browser (Debian's chromium, headless, driven by Playwright) while real turns run through
/// the pinned CLI against the fake upstream: its figures, request list and error list change without a reload.
/// </summary>
public sealed class StatusPageTests
{
    /// <summary>Generous: the machine is shared and busy; a wait ends as soon as the page shows what it waits for.</summary>
    private static readonly float Patience = (float)TimeSpan.FromSeconds(90).TotalMilliseconds;

    [Fact]
    public async Task The_page_shows_live_workers_requests_and_errors_as_real_turns_run()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Workers:MaxConcurrency"] = "3";
            s["ClaudeActors:Processes:Standby"] = "1";
        });
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var loads = 0;
        page.Load += (_, _) => Interlocked.Increment(ref loads);
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                pageErrors.Add($"{message.Text} ({message.Location})");
            }
        };

        await page.GotoAsync(gateway.BaseUrl.ToString());
        await Expect(page.GetByTestId("connection")).ToHaveTextAsync("live", new() { Timeout = Patience });
        await Expect(page.GetByTestId("workers-max")).ToHaveTextAsync("3", new() { Timeout = Patience });
        await Expect(page.GetByTestId("processes-standby-target")).ToHaveTextAsync("1", new() { Timeout = Patience });
        await Expect(page.GetByTestId("requests-total")).ToHaveTextAsync("0", new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid=recent-requests] tbody tr[data-empty]")).ToHaveCountAsync(1, new() { Timeout = Patience });
        await Expect(page.Locator("[data-testid=cluster-members] tbody tr")).ToContainTextAsync("Up", new() { Timeout = Patience });

        // A streamed turn held at the upstream: the page shows a worker busy while it runs.
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Gated("Hello ", "from the fake upstream", gate));
        var chat = gateway.OpenAiChat("sonnet");
        var streamed = Task.Run(async () =>
        {
            var text = new StringBuilder();
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }
            }

            return text.ToString();
        });
        await gate.WaitUntilReachedAsync(TimeSpan.FromSeconds(90));
        await Expect(page.GetByTestId("workers-busy")).ToHaveTextAsync("1", new() { Timeout = Patience });
        gate.Release();
        Assert.Equal("Hello from the fake upstream", await streamed.WaitAsync(TimeSpan.FromSeconds(90)));

        var rows = page.Locator("[data-testid=recent-requests] tbody tr:not([data-empty])");
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = Patience });
        await Expect(rows.First).ToContainTextAsync("/v1/chat/completions");
        await Expect(rows.First).ToContainTextAsync("200");
        await Expect(page.GetByTestId("requests-total")).ToHaveTextAsync("1", new() { Timeout = Patience });
        await Expect(page.GetByTestId("workers-busy")).ToHaveTextAsync("0", new() { Timeout = Patience });
        await Expect(page.GetByTestId("conversations-total")).ToHaveTextAsync("1", new() { Timeout = Patience });

        // A request the server refuses: a second row, and an error with the code the client got.
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => gateway.OpenAiChat("sonnet").CompleteChatAsync(
            [new UserChatMessage("hi")], new ChatCompletionOptions { Temperature = 7 }));
        Assert.Equal(400, refused.Status);
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = Patience });
        await Expect(rows.First).ToContainTextAsync("400");
        await Expect(page.GetByTestId("requests-failed")).ToHaveTextAsync("1", new() { Timeout = Patience });
        var refusal = page.Locator("[data-testid=errors] tbody tr").Filter(new() { HasText = "request 400" });
        await Expect(refusal).ToHaveCountAsync(1, new() { Timeout = Patience });
        await Expect(refusal).ToContainTextAsync("POST /v1/chat/completions");
        await Expect(refusal).ToContainTextAsync("temperature");

        // Live: all of it came without a reload, and the page's script ran without an error.
        Assert.Equal(1, Volatile.Read(ref loads));
        Assert.True(pageErrors.Count == 0, "The page logged errors: " + string.Join(" | ", pageErrors));

        // The screenshot is the evidence (TestResults/status-page.png); the checks above are the test. It must not be
        // blank: the browser decodes it and counts its colours and the share of pixels unlike the background.
        var file = Path.Combine(AppContext.BaseDirectory, "TestResults", "status-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(png.Length > 10_000, $"The screenshot is only {png.Length} bytes.");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var (colours, inked) = await browser.MeasureAsync(png);
        Assert.True(colours >= 16, $"The screenshot has only {colours} colours.");
        Assert.True(inked >= 0.02, $"Only {inked:P1} of the screenshot differs from its background.");
    }

    [Fact]
    public async Task When_the_data_needs_a_key_the_page_asks_for_one_and_sends_it_as_a_bearer_token()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Processes:Standby"] = "0");
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.Browser.NewPageAsync();

        // The server has no keys yet (another part of the work adds them): the browser stands in for one that answers
        // 401 until the request carries the admin key, and passes that request on to the real server.
        var authorizations = new List<string?>();
        await page.RouteAsync("**/v1/status", async route =>
        {
            var authorization = route.Request.Headers.TryGetValue("authorization", out var value) ? value : null;
            lock (authorizations)
            {
                authorizations.Add(authorization);
            }

            if (authorization == "Bearer admin-key-1")
            {
                await route.ContinueAsync();
            }
            else
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    Status = 401,
                    ContentType = "application/json",
                    Body = """{"error":{"message":"Missing API key","type":"invalid_request_error","code":"invalid_api_key"}}""",
                });
            }
        });

        await page.GotoAsync(gateway.BaseUrl.ToString());
        await Expect(page.GetByTestId("key-form")).ToBeVisibleAsync(new() { Timeout = Patience });
        await Expect(page.GetByTestId("connection")).ToContainTextAsync("admin key", new() { Timeout = Patience });
        await Expect(page.GetByTestId("workers-max")).ToHaveTextAsync("–");

        await page.GetByLabel("admin API key").FillAsync("admin-key-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();

        await Expect(page.GetByTestId("connection")).ToHaveTextAsync("live", new() { Timeout = Patience });
        await Expect(page.GetByTestId("workers-max")).ToHaveTextAsync("4", new() { Timeout = Patience });
        await Expect(page.GetByTestId("key-form")).ToBeHiddenAsync(new() { Timeout = Patience });
        Assert.Equal("admin-key-1", await page.EvaluateAsync<string>("() => sessionStorage.getItem('claude-actors-status-key')"));
        lock (authorizations)
        {
            Assert.Null(authorizations[0]);
            Assert.Equal("Bearer admin-key-1", authorizations[^1]);
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
