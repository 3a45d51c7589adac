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

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
