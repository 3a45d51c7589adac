using ClaudeActors.Server.Security;

namespace ClaudeActors.UnitTests.Security;

public sealed class JsonContentTypeTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("APPLICATION/JSON", true)]
    [InlineData("application/merge-patch+json", true)]
    [InlineData("text/plain", false)]
    [InlineData("text/json", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("multipart/form-data; boundary=x", false)]
    [InlineData("application/jsonp", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Is_TakesJsonMediaTypesOnly(string? contentType, bool json)
    {
        Assert.Equal(json, JsonContentType.Is(contentType));
    }
}
