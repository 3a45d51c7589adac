using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.Anthropic.Errors;
using ClaudeActors.Server.OpenAi.Chat;

namespace ClaudeActors.Server.Anthropic.Messages;

/// <summary>
/// Writes a turn's <see cref="ChatEvent"/>s in Anthropic's wire format: the stream as <c>event:</c> + <c>data:</c>
/// pairs in the order the Anthropic SDKs read (message_start, ping, per block content_block_start/delta/stop,
/// message_delta, message_stop), and the whole Message of a request that does not stream. Stop sequences are applied
/// here, as the chat surface applies <c>stop</c>. Plain code, no I/O: the endpoint feeds it.
/// </summary>
internal sealed class AnthropicMessageWriter(string id, string model, IReadOnlyList<string> stops)
{
    private readonly StopSequenceFilter _filter = new(stops);
    private readonly StringBuilder _raw = new();
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _answer = new();
    private readonly List<JsonObject> _blocks = [];
    private readonly Dictionary<int, (int Block, StringBuilder Input)> _calls = [];
    private int _emitted;
    private bool _streamedText;
    private bool _textOpen;
    private int _open = -1;
    private ChatCompleted? _completed;

    /// <summary>The model the answer names (the CLI's, once it said).</summary>
    public string Model { get; set; } = model;

    /// <summary>The stream's first events: <c>message_start</c> (usage is only known at the end) and a <c>ping</c>.</summary>
    public IEnumerable<SseItem<string>> Start()
    {
        var message = Envelope();
        message["content"] = new JsonArray();
        message["stop_reason"] = null;
        message["stop_sequence"] = null;
        message["usage"] = Usage(CliUsage.Zero);
        yield return Event("message_start", new JsonObject { ["message"] = message });
        yield return Event("ping", []);
    }

    /// <summary>The stream events one turn event makes (none for bookkeeping events).</summary>
    public IEnumerable<SseItem<string>> On(ChatEvent ev)
    {
        switch (ev)
        {
            case ChatTextDelta delta:
                _streamedText = true;
                foreach (var item in Text(Push(delta.Text)))
                {
                    yield return item;
                }

                break;
            case ChatToolCallDelta call:
                foreach (var item in Text(Flush()))
                {
                    yield return item;
                }

                foreach (var item in ToolCall(call))
                {
                    yield return item;
                }

                break;
            case ChatCompleted completed:
                _completed = completed;
                if (!_streamedText)
                {
                    foreach (var item in Text(Push(completed.Text)))
                    {
                        yield return item;
                    }
                }

                break;
        }
    }

    /// <summary>The stream's last events: the open block's stop, <c>message_delta</c> and <c>message_stop</c>.</summary>
    public IEnumerable<SseItem<string>> Finish()
    {
        foreach (var item in Text(Flush()))
        {
            yield return item;
        }

        if (_blocks.Count == 0)
        {
            // An empty answer is still one (empty) text block, as the API sends it.
            foreach (var item in OpenText())
            {
                yield return item;
            }
        }

        if (_open >= 0)
        {
            yield return Event("content_block_stop", new JsonObject { ["index"] = _open });
            _open = -1;
        }

        var (reason, sequence) = StopReason();
        yield return Event("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = reason, ["stop_sequence"] = sequence },
            ["usage"] = Usage(_completed?.Usage ?? CliUsage.Zero),
        });
        yield return Event("message_stop", []);
    }

    /// <summary>The <c>error</c> event of a turn that failed after the stream began; the stream ends after it.</summary>
    public static SseItem<string> Error(ChatFailure failure, string requestId)
    {
        var (status, message) = AnthropicErrors.From(failure);
        return new SseItem<string>(AnthropicJson.Write(AnthropicErrors.Body(status, message, requestId)), "error");
    }

    /// <summary>The whole Message, once every event was fed to <see cref="On"/>.</summary>
    public JsonObject Message()
    {
        foreach (var _ in Finish())
        {
        }

        var message = Envelope();
        var content = new JsonArray();
        if (_completed is { ToolCalls.Count: > 0 } done)
        {
            // The completed turn's calls are the answer's (as on chat completions): the text, then one block per call.
            if (_answer.Length > 0)
            {
                content.Add(new JsonObject { ["type"] = "text", ["text"] = _answer.ToString() });
            }

            foreach (var call in done.ToolCalls)
            {
                content.Add(ToolUse(call.Id, call.Name, ParseInput(call.Arguments)));
            }
        }
        else
        {
            foreach (var block in _blocks)
            {
                content.Add(block.DeepClone());
            }
        }

        var (reason, sequence) = StopReason();
        message["content"] = content;
        message["stop_reason"] = reason;
        message["stop_sequence"] = sequence;
        message["usage"] = Usage(_completed?.Usage ?? CliUsage.Zero);
        return message;
    }

    /// <summary>Anthropic usage is native: <c>input_tokens</c> is the uncached part, the cache fields apart.</summary>
    internal static JsonObject Usage(CliUsage usage) => new()
    {
        ["input_tokens"] = usage.InputTokens,
        ["cache_creation_input_tokens"] = usage.CacheCreationInputTokens,
        ["cache_read_input_tokens"] = usage.CacheReadInputTokens,
        ["output_tokens"] = usage.OutputTokens,
    };

    private JsonObject Envelope() => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = Model,
    };

    private (string Reason, string? Sequence) StopReason()
    {
        if (_filter.Stopped)
        {
            var rest = _raw.ToString(_emitted, _raw.Length - _emitted);
            return ("stop_sequence", stops.FirstOrDefault(s => rest.StartsWith(s, StringComparison.Ordinal)));
        }

        return (_completed?.StopReason is { Length: > 0 } reason ? reason : "end_turn", null);
    }

    private string Push(string text)
    {
        _raw.Append(text);
        return Emitted(_filter.Push(text));
    }

    private string Flush() => Emitted(_filter.Flush());

    private string Emitted(string text)
    {
        _emitted += text.Length;
        return text;
    }

    private IEnumerable<SseItem<string>> Text(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        if (!_textOpen)
        {
            foreach (var item in OpenText())
            {
                yield return item;
            }
        }

        _text.Append(text);
        _answer.Append(text);
        _blocks[_open]["text"] = _text.ToString();
        yield return Event("content_block_delta", new JsonObject
        {
            ["index"] = _open,
            ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text },
        });
    }

    private IEnumerable<SseItem<string>> OpenText()
    {
        foreach (var item in Close())
        {
            yield return item;
        }

        _text.Clear();
        _textOpen = true;
        yield return Open(new JsonObject { ["type"] = "text", ["text"] = "" });
    }

    private IEnumerable<SseItem<string>> ToolCall(ChatToolCallDelta call)
    {
        if (call.Id is not null)
        {
            foreach (var item in Close())
            {
                yield return item;
            }

            _textOpen = false;
            yield return Open(ToolUse(call.Id, call.Name ?? "", new JsonObject()));
            _calls[call.Index] = (_open, new StringBuilder());
        }

        if (call.Arguments.Length == 0 || !_calls.TryGetValue(call.Index, out var target))
        {
            yield break;
        }

        target.Input.Append(call.Arguments);
        _blocks[target.Block]["input"] = ParseInput(target.Input.ToString());
        yield return Event("content_block_delta", new JsonObject
        {
            ["index"] = target.Block,
            ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = call.Arguments },
        });
    }

    /// <summary>A <c>tool_use</c> block; <c>caller</c> is there because the .NET SDK requires it.</summary>
    private static JsonObject ToolUse(string id, string name, JsonNode input) => new()
    {
        ["type"] = "tool_use",
        ["id"] = id,
        ["name"] = name,
        ["input"] = input,
        ["caller"] = new JsonObject { ["type"] = "direct" },
    };

    /// <summary>The input so far as an object (an empty one until the fragments form whole JSON).</summary>
    private static JsonNode ParseInput(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }

    private SseItem<string> Open(JsonObject block)
    {
        _blocks.Add(block);
        _open = _blocks.Count - 1;
        return Event("content_block_start", new JsonObject { ["index"] = _open, ["content_block"] = block.DeepClone() });
    }

    private IEnumerable<SseItem<string>> Close()
    {
        if (_open >= 0)
        {
            yield return Event("content_block_stop", new JsonObject { ["index"] = _open });
            _open = -1;
        }
    }

    private static SseItem<string> Event(string type, JsonObject data)
    {
        var body = new JsonObject { ["type"] = type };
        foreach (var (name, value) in data.ToList())
        {
            data.Remove(name);
            body[name] = value;
        }

        return new SseItem<string>(AnthropicJson.Write(body), type);
    }
}
