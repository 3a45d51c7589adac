using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.Security;

namespace ClaudeActors.UnitTests.Security;

public sealed class OriginPatternTests
{
    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("https://localhost")]
    [InlineData("http://127.0.0.1:8765")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://app.localhost:5173")]
    [InlineData("HTTP://LOCALHOST:1")]
    public void Allows_LoopbackOriginsByDefault(string origin)
    {
        Assert.True(new OriginPolicy(ServerOptions.LoopbackOrigins).Allows(origin));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.1.evil.example:80")]
    [InlineData("http://[::2]:80")]
    [InlineData("file://localhost")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("http://localhost:3000/page")]
    [InlineData("http://user@localhost:3000")]
    [InlineData("http://localhost:99999")]
    [InlineData("http://*.localhost")]
    public void Refuses_OtherOriginsByDefault(string origin)
    {
        Assert.False(new OriginPolicy(ServerOptions.LoopbackOrigins).Allows(origin));
    }

    [Theory]
    [InlineData("https://chat.example.com", "https://chat.example.com", true)]
    [InlineData("https://chat.example.com", "https://chat.example.com:443", true)]
    [InlineData("https://chat.example.com", "https://chat.example.com:8443", false)]
    [InlineData("https://chat.example.com", "http://chat.example.com", false)]
    [InlineData("https://*.example.com:*", "https://a.b.example.com:8443", true)]
    [InlineData("https://*.example.com:*", "https://example.com", false)]
    [InlineData("http://10.0.0.5:8080", "http://10.0.0.5:8080", true)]
    [InlineData("*", "https://anything.example", true)]
    [InlineData("*", "null", true)]
    public void Allows_ConfiguredOrigins(string pattern, string origin, bool allowed)
    {
        Assert.Equal(allowed, new OriginPolicy([pattern]).Allows(origin));
    }

    [Theory]
    [InlineData("chat.example.com")]
    [InlineData("ftp://chat.example.com")]
    [InlineData("https://chat.example.com/")]
    [InlineData("https://chat.example.com:0")]
    [InlineData("https://chat.example.com:x")]
    [InlineData("https://")]
    [InlineData("https://a b")]
    public void Parse_RejectsWhatIsNotAnOriginPattern(string text)
    {
        Assert.Null(OriginPattern.Parse(text));
    }
}
