using ClaudeActors.Server.OpenAi.Responses;

namespace ClaudeActors.UnitTests.OpenAi.Responses;

/// <summary>Response ids name their conversation (so any node finds them) and nothing else parses as one.</summary>
public sealed class ResponseIdsTests
{
    [Theory]
    [InlineData("5f0c2b8e-1d2a-4c41-9d57-0f4f1b7a9e11")]
    [InlineData("my session / ünïcode")]
    public void An_id_gives_back_its_nonce_and_conversation(string conversationId)
    {
        var nonce = ResponseIds.NewNonce(null);

        var id = ResponseIds.Of(nonce, conversationId);

        Assert.StartsWith("resp_", id, StringComparison.Ordinal);
        Assert.True(ResponseIds.TryParse(id, out var backNonce, out var backConversation));
        Assert.Equal(nonce, backNonce);
        Assert.Equal(conversationId, backConversation);
    }

    [Fact]
    public void An_idempotency_key_gives_the_same_nonce_every_time_and_no_key_a_fresh_one()
    {
        Assert.Equal(ResponseIds.NewNonce("key-1"), ResponseIds.NewNonce("key-1"));
        Assert.NotEqual(ResponseIds.NewNonce("key-1"), ResponseIds.NewNonce("key-2"));
        Assert.NotEqual(ResponseIds.NewNonce(null), ResponseIds.NewNonce(null));
        Assert.Equal(ResponseIds.NonceLength, ResponseIds.NewNonce(null).Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("resp_nope")]
    [InlineData("chatcmpl-123")]
    [InlineData("resp_0123456789abcdef01234567")]
    [InlineData("resp_0123456789ABCDEF01234567YWJj")]
    [InlineData("resp_0123456789abcdef01234567!!!")]
    public void Anything_else_is_not_a_stored_response(string? id)
    {
        Assert.False(ResponseIds.TryParse(id, out _, out _));
    }
}
