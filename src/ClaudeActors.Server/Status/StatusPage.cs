using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ClaudeActors.Server.Status;

/// <summary>
/// The status page: one self-contained HTML file embedded in the server (inline style and script, nothing fetched from
/// elsewhere), read once. Its <c>Content-Security-Policy</c> allows exactly its own inline script and style, by their
/// SHA-256 hashes computed from the file itself (so they never drift), and network calls to this server only.
/// </summary>
internal static partial class StatusPage
{
    /// <summary>The page's manifest resource name (see the server's project file).</summary>
    public const string ResourceName = "ClaudeActors.Server.Status.status.html";

    private static readonly Lazy<(string Html, string Policy)> Page = new(Load);

    /// <summary>The page's HTML.</summary>
    public static string Html => Page.Value.Html;

    /// <summary>The page's <c>Content-Security-Policy</c>.</summary>
    public static string ContentSecurityPolicy => Page.Value.Policy;

    /// <summary>The answer to <c>GET /</c>: the page, never cached, never framed, never sniffed.</summary>
    public static IResult Serve(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(Html, "text/html; charset=utf-8");
    }

    /// <summary>The policy for a page whose inline script and style blocks are those in <paramref name="html"/>.</summary>
    internal static string PolicyFor(string html) =>
        "default-src 'none'; " +
        $"script-src {Hashes(ScriptBlock().Matches(html))}; " +
        $"style-src {Hashes(StyleBlock().Matches(html))}; " +
        "connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static (string Html, string Policy) Load()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The status page ({ResourceName}) is not embedded in the server.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        return (html, PolicyFor(html));
    }

    private static string Hashes(MatchCollection blocks) =>
        blocks.Count == 0
            ? "'none'"
            : string.Join(' ', blocks.Select(b => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(b.Groups[1].Value)))}'"));

    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex(@"<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
