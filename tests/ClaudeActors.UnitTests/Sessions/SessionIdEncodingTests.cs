using ClaudeActors.Server.Sessions;

namespace ClaudeActors.UnitTests.Sessions;

public sealed class SessionIdEncodingTests
{
    [Theory]
    [InlineData("user:42", "user:42")]
    [InlineData("project-alpha/thread_7?x=1#y", "project-alpha/thread_7?x=1#y")]
    [InlineData("café", "caf%C3%A9")]
    [InlineData("🦊 fox", "%F0%9F%A6%8A%20fox")]
    [InlineData("会话", "%E4%BC%9A%E8%AF%9D")]
    [InlineData("100%", "100%25")]
    [InlineData("a%2Fb", "a%252Fb")]
    [InlineData(" padded ", "%20padded%20")]
    public void Encode_KeepsVisibleAsciiButPercent_AndEncodesTheRestAsUtf8(string id, string encoded)
    {
        Assert.Equal(encoded, SessionIdEncoding.Encode(id));
        Assert.True(SessionIdEncoding.TryDecode(encoded, out var decoded));
        Assert.Equal(id, decoded);
    }

    [Theory]
    [InlineData("caf%c3%a9", "café")]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("a%252Fb", "a%2Fb")]
    [InlineData("%41%42c", "ABc")]
    [InlineData("plain", "plain")]
    [InlineData("café", "café")]
    public void TryDecode_DecodesEveryEscapeExactlyOnce(string text, string id)
    {
        Assert.True(SessionIdEncoding.TryDecode(text, out var decoded));
        Assert.Equal(id, decoded);
    }

    [Theory]
    [InlineData("50%")]
    [InlineData("%4")]
    [InlineData("%zz")]
    [InlineData("%+1")]
    [InlineData("%C3")]
    [InlineData("%FF%FE")]
    [InlineData("%ED%A0%80")]
    public void TryDecode_RefusesWhatIsNotPercentEncodedUtf8(string text)
    {
        Assert.False(SessionIdEncoding.TryDecode(text, out _));
    }
}
