using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;

namespace ClaudeActors.Server.OpenAi.Completions;

/// <summary>
/// Reads a legacy <c>POST /v1/completions</c> request into one stateless turn per prompt, with the chat reader's rules
/// for the fields the two share (model, <c>max_tokens</c>, <c>stop</c>, sampling ranges). What the CLI cannot do
/// (insertion with <c>suffix</c>, <c>echo</c>, <c>logprobs</c>, several answers per prompt, token arrays) is a 400
/// that names the parameter.
/// </summary>
internal sealed class CompletionRequestReader(ModelCatalog models)
{
    /// <summary>The most prompts one request may carry; they run one after another.</summary>
    public const int MaxPrompts = 16;

    public ParsedCompletionRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("The request body must be a JSON object.");
        }

        var requestedModel = ChatRequestParser.ReadModel(root);
        CheckUnsupported(root);
        ChatRequestParser.CheckRange(root, "temperature", 0, 2);
        ChatRequestParser.CheckRange(root, "top_p", 0, 1);
        ChatRequestParser.CheckRange(root, "frequency_penalty", -2, 2);
        ChatRequestParser.CheckRange(root, "presence_penalty", -2, 2);
        var prompts = ReadPrompts(root);
        var stream = ChatRequestParser.OptionalBool(root, "stream") ?? false;
        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind == JsonValueKind.Object
            && (ChatRequestParser.OptionalBool(streamOptions, "include_usage", "stream_options.include_usage") ?? false);
        var model = models.Resolve(requestedModel);
        var maxTokens = ChatRequestParser.ReadMaxTokens(root);
        var budget = BudgetField.Read(root);
        var turns = prompts.Select(prompt => new ChatTurnRequest
        {
            Model = model,
            Prompt = CompletionPrompt.For(prompt),
            MaxOutputTokens = maxTokens,
            MaxBudgetUsd = budget,
        }).ToList();
        return new ParsedCompletionRequest(turns, requestedModel, stream, includeUsage, ChatRequestParser.ReadStop(root));
    }

    private static void CheckUnsupported(JsonElement root)
    {
        if (ChatRequestParser.OptionalString(root, "suffix") is { Length: > 0 })
        {
            throw new RequestValidationException(
                "suffix is not supported: the Claude CLI continues a text only at its end, it does not fill in text before a suffix.", "suffix");
        }

        if (ChatRequestParser.OptionalBool(root, "echo") == true)
        {
            throw new RequestValidationException("echo is not supported: send the prompt's text on yourself; the answer holds only the completion.", "echo");
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind != JsonValueKind.Null)
        {
            throw new RequestValidationException("logprobs is not supported: the Claude CLI reports no token log probabilities.", "logprobs");
        }

        foreach (var name in (string[])["best_of", "n"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count) || count != 1))
            {
                throw new RequestValidationException($"Only {name}=1 is supported: the Claude CLI writes one completion per prompt.", name);
            }
        }
    }

    /// <summary>A string, or an array of 1 to <see cref="MaxPrompts"/> strings; never empty text and never tokens.</summary>
    private static List<string> ReadPrompts(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
        {
            throw new RequestValidationException("prompt is required: a string or an array of strings.", "prompt");
        }

        List<string> prompts;
        if (prompt.ValueKind == JsonValueKind.String)
        {
            prompts = [ChatRequestParser.Text(prompt, "prompt")];
        }
        else if (prompt.ValueKind != JsonValueKind.Array)
        {
            throw new RequestValidationException("prompt must be a string or an array of strings.", "prompt");
        }
        else if (prompt.EnumerateArray().Any(p => p.ValueKind is JsonValueKind.Number or JsonValueKind.Array))
        {
            throw new RequestValidationException(
                "prompt as token ids (an array of integers, or of integer arrays) is not supported: the Claude models use another tokenizer. Send the prompt as text.",
                "prompt");
        }
        else if (prompt.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
        {
            throw new RequestValidationException("prompt must be a string or an array of strings.", "prompt");
        }
        else
        {
            prompts = [.. prompt.EnumerateArray().Select(p => ChatRequestParser.Text(p, "prompt"))];
        }

        if (prompts.Count is 0 or > MaxPrompts)
        {
            throw new RequestValidationException($"prompt takes 1 to {MaxPrompts} strings; they are completed one after another.", "prompt");
        }

        if (prompts.FindIndex(p => p.Length == 0) is var empty and >= 0)
        {
            throw new RequestValidationException(
                prompts.Count == 1 ? "prompt is empty: there is no text to continue." : $"prompt[{empty}] is empty: there is no text to continue.", "prompt");
        }

        return prompts;
    }
}
