namespace ClaudeActors.Server.OpenAi.Errors;

/// <summary>A request the server refuses before running it: 400 with the offending parameter named.</summary>
internal sealed class RequestValidationException(string message, string? param = null, string? code = null) : Exception(message)
{
    public string? Param { get; } = param;

    public string? Code { get; } = code;
}
