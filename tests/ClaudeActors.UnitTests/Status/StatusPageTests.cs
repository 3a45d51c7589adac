using System.Security.Cryptography;
using System.Text;
using ClaudeActors.Server.Status;

namespace ClaudeActors.UnitTests.Status;

public sealed class StatusPageTests
{
    [Fact]
    public void The_policy_allows_exactly_the_pages_inline_script_and_style_by_hash()
    {
        var policy = StatusPage.PolicyFor("<html><style>body{}</style><script>go();</script></html>");

        Assert.Equal(
            $"default-src 'none'; script-src 'sha256-{Hash("go();")}'; style-src 'sha256-{Hash("body{}")}'; connect-src 'self'; " +
            "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
            policy);
    }

    [Fact]
    public void A_page_without_script_allows_none() =>
        Assert.StartsWith("default-src 'none'; script-src 'none'; style-src 'none';", StatusPage.PolicyFor("<p>hi</p>"), StringComparison.Ordinal);

    [Fact]
    public void The_embedded_page_is_served_with_its_own_policy()
    {
        var html = StatusPage.Html;

        Assert.Contains("data-testid=\"recent-requests\"", html, StringComparison.Ordinal);
        Assert.Equal(StatusPage.PolicyFor(html), StatusPage.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe", StatusPage.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
