using ClaudeActors.Server.OpenAi.Chat;

namespace ClaudeActors.UnitTests.OpenAi;

public sealed class FinishReasonsTests
{
    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("refusal", "content_filter")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData(null, "stop")]
    public void From_StopReason_GivesOpenAiFinishReason(string? stopReason, string finishReason)
    {
        Assert.Equal(finishReason, FinishReasons.From(stopReason));
    }
}
