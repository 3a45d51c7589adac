using System.ClientModel.Primitives;

namespace ClaudeActors.Testing.Gateway;

/// <summary>Adds <c>X-Session-Id</c> to every request an OpenAI SDK client sends, as an application would.</summary>
public sealed class SessionHeaderPolicy(string sessionId) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set("X-Session-Id", sessionId);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set("X-Session-Id", sessionId);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }
}
