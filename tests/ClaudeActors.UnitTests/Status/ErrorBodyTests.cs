using System.Text;
using ClaudeActors.Server.Status;

namespace ClaudeActors.UnitTests.Status;

public sealed class ErrorBodyTests
{
    [Fact]
    public void Reads_the_OpenAI_shape() =>
        Assert.Equal(
            new ErrorBody("All 4 Claude workers are busy", "rate_limit_error", "server_busy"),
            Read("""{"error":{"message":"All 4 Claude workers are busy","type":"rate_limit_error","param":null,"code":"server_busy"}}"""));

    [Fact]
    public void Reads_the_Anthropic_shape() =>
        Assert.Equal(
            new ErrorBody("messages: field required", "invalid_request_error", null),
            Read("""{"type":"error","error":{"type":"invalid_request_error","message":"messages: field required"},"request_id":"req_1"}"""));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"error":{"message":"cut sho""")]
    [InlineData("""{"error":"a string"}""")]
    [InlineData("""["error"]""")]
    [InlineData("""{"detail":"other shape"}""")]
    public void Anything_else_is_no_error_body(string body) => Assert.Null(Read(body));

    private static ErrorBody? Read(string body) => ErrorBody.Read(Encoding.UTF8.GetBytes(body));
}
