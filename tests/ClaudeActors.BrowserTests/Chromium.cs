using Microsoft.Playwright;

namespace ClaudeActors.BrowserTests;

/// <summary>
/// Headless Chromium from Debian's <c>chromium</c> package (<c>scripts/install-chromium.sh</c> installs it; the test
/// command runs that first), driven by Playwright. Playwright downloads no browser here: it is pointed at the system's.
/// <c>CLAUDE_ACTORS_TEST_CHROMIUM</c> names another binary.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>The browser binary; a missing one fails the test with what to run, it is never skipped.</summary>
    public static string ExecutablePath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("CLAUDE_ACTORS_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultPath;
            Assert.True(File.Exists(path), $"Chromium is not installed at {path}: run scripts/install-chromium.sh (the test command does).");
            return path;
        }
    }

    public static async Task<Chromium> LaunchAsync()
    {
        var path = ExecutablePath;
        var playwright = await Playwright.CreateAsync();
        try
        {
            // Playwright adds --headless, --no-sandbox (it runs as root here) and its usual switches itself.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = ["--disable-gpu", "--disable-quic"],
                Timeout = (float)TimeSpan.FromSeconds(90).TotalMilliseconds,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes <paramref name="png"/> in the browser (on a blank page of its own: the status page's policy allows no
    /// such fetch) and measures it: the number of distinct colours (up to 4096) and the share of pixels that differ from
    /// the top-left one (the background).
    /// </summary>
    public async Task<(int Colours, double Inked)> MeasureAsync(byte[] png)
    {
        var page = await Browser.NewPageAsync();
        var result = await page.EvaluateAsync<double[]>(
            """
            async (data) => {
              const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + data)).blob());
              const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
              const context = canvas.getContext('2d');
              context.drawImage(bitmap, 0, 0);
              const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
              const colours = new Set();
              let inked = 0;
              for (let i = 0; i < pixels.length; i += 4) {
                const colour = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
                if (colours.size < 4096) { colours.add(colour); }
                if (pixels[i] !== pixels[0] || pixels[i + 1] !== pixels[1] || pixels[i + 2] !== pixels[2]) { inked++; }
              }
              return [colours.size, inked / (pixels.length / 4)];
            }
            """,
            Convert.ToBase64String(png));
        await page.CloseAsync();
        return ((int)result[0], result[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
