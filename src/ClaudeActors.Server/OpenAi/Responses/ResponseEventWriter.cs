using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using ClaudeActors.Chat;
using ClaudeActors.Conversations;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// Writes a turn's chat events as the Responses API's stream: <c>response.created</c> and <c>response.in_progress</c>,
/// then per output item <c>output_item.added</c> … <c>output_item.done</c> (a message with its one text part, or a
/// function call with its argument deltas), then <c>response.completed</c> (or <c>response.incomplete</c>, or
/// <c>error</c> and <c>response.failed</c>). Every event has an <c>event:</c> line equal to its <c>type</c> and the next
/// <c>sequence_number</c> from 0. Plain code: the endpoint feeds it events and writes what it returns.
/// </summary>
internal sealed class ResponseEventWriter(string id, string nonce, ResponseEnvelope envelope)
{
    private readonly JsonArray _done = [];
    private readonly StringBuilder _text = new();
    private readonly Dictionary<int, (ToolCallRecord Call, StringBuilder Arguments, int OutputIndex)> _calls = [];
    private int _sequence;
    private bool _messageOpen;
    private bool _messageDone;
    private int? _openCall;

    public IEnumerable<SseItem<string>> Start()
    {
        yield return Lifecycle("response.created", "in_progress", new JsonArray(), null);
        yield return Lifecycle("response.in_progress", "in_progress", new JsonArray(), null);
    }

    public IEnumerable<SseItem<string>> Text(string delta)
    {
        if (delta.Length == 0)
        {
            yield break;
        }

        foreach (var item in CloseCall())
        {
            yield return item;
        }

        if (!_messageOpen)
        {
            _messageOpen = true;
            yield return Event("response.output_item.added", new JsonObject { ["output_index"] = _done.Count, ["item"] = ResponseObjects.Message(nonce, null, "in_progress") });
            yield return Event("response.content_part.added", Part(ResponseObjects.TextPart("")));
        }

        _text.Append(delta);
        yield return Event("response.output_text.delta", Part(null, ("delta", delta)));
    }

    public IEnumerable<SseItem<string>> Call(ChatToolCallDelta delta)
    {
        if (delta.Id is { } callId)
        {
            foreach (var item in CloseMessage("completed").Concat(CloseCall()))
            {
                yield return item;
            }

            var call = new ToolCallRecord(callId, delta.Name ?? "", "");
            _calls[delta.Index] = (call, new StringBuilder(), _done.Count);
            _openCall = delta.Index;
            yield return Event("response.output_item.added", new JsonObject
            {
                ["output_index"] = _done.Count,
                ["item"] = ResponseObjects.FunctionCall(nonce, delta.Index, call, "", "in_progress"),
            });
        }

        if (delta.Arguments.Length > 0 && _calls.TryGetValue(delta.Index, out var open))
        {
            open.Arguments.Append(delta.Arguments);
            yield return Event("response.function_call_arguments.delta", new JsonObject
            {
                ["item_id"] = ResponseObjects.CallItemId(nonce, delta.Index),
                ["output_index"] = open.OutputIndex,
                ["delta"] = delta.Arguments,
            });
        }
    }

    /// <summary>The end of the answer: what was not streamed (a buffered answer), the open items' ends, and the final Response.</summary>
    public IEnumerable<SseItem<string>> Completed(ResponseOutcome outcome)
    {
        if (!_messageOpen && _calls.Count == 0 && outcome.HasMessage)
        {
            foreach (var item in Text(outcome.Text))
            {
                yield return item;
            }

            if (!_messageOpen)
            {
                // An empty answer is still a message.
                _messageOpen = true;
                yield return Event("response.output_item.added", new JsonObject { ["output_index"] = _done.Count, ["item"] = ResponseObjects.Message(nonce, null, "in_progress") });
                yield return Event("response.content_part.added", Part(ResponseObjects.TextPart("")));
            }
        }

        foreach (var item in CloseMessage(outcome.CutShort ? "incomplete" : "completed").Concat(CloseCall()))
        {
            yield return item;
        }

        for (var i = 0; i < outcome.Calls.Count; i++)
        {
            if (!_calls.ContainsKey(i))
            {
                // A call the stream did not show piece by piece: whole, now.
                foreach (var item in Call(new ChatToolCallDelta(i, outcome.Calls[i].Id, outcome.Calls[i].Name, outcome.Calls[i].Arguments)).Concat(CloseCall()))
                {
                    yield return item;
                }
            }
        }

        var final = ResponseObjects.Final(id, nonce, envelope, outcome);
        yield return Event(outcome.CutShort ? "response.incomplete" : "response.completed", new JsonObject { ["response"] = final });
    }

    /// <summary>A failure after the stream began: <c>error</c> (its fields at the top level), then <c>response.failed</c>.</summary>
    public IEnumerable<SseItem<string>> Failed(string code, string message)
    {
        var output = new JsonArray([.. _done.Select(i => i!.DeepClone())]);
        if (_messageOpen && !_messageDone)
        {
            output.Add(ResponseObjects.Message(nonce, _text.ToString(), "incomplete"));
        }

        if (_openCall is { } open)
        {
            var (call, arguments, _) = _calls[open];
            output.Add(ResponseObjects.FunctionCall(nonce, open, call, arguments.ToString(), "incomplete"));
        }

        yield return Event("error", new JsonObject { ["code"] = code, ["message"] = message, ["param"] = null });
        var response = ResponseObjects.Response(id, envelope, "failed", output, null, new JsonObject { ["code"] = code, ["message"] = message }, null);
        yield return Event("response.failed", new JsonObject { ["response"] = response });
    }

    private IEnumerable<SseItem<string>> CloseMessage(string status)
    {
        if (!_messageOpen || _messageDone)
        {
            yield break;
        }

        _messageDone = true;
        var text = _text.ToString();
        yield return Event("response.output_text.done", Part(null, ("text", text)));
        yield return Event("response.content_part.done", Part(ResponseObjects.TextPart(text)));
        var item = ResponseObjects.Message(nonce, text, status);
        yield return Event("response.output_item.done", new JsonObject { ["output_index"] = _done.Count, ["item"] = item.DeepClone() });
        _done.Add(item);
    }

    private IEnumerable<SseItem<string>> CloseCall()
    {
        if (_openCall is not { } index)
        {
            yield break;
        }

        _openCall = null;
        var (call, arguments, outputIndex) = _calls[index];
        var text = arguments.ToString();
        yield return Event("response.function_call_arguments.done", new JsonObject
        {
            ["item_id"] = ResponseObjects.CallItemId(nonce, index),
            ["output_index"] = outputIndex,
            ["name"] = call.Name,
            ["arguments"] = text,
        });
        var item = ResponseObjects.FunctionCall(nonce, index, call, text, "completed");
        yield return Event("response.output_item.done", new JsonObject { ["output_index"] = outputIndex, ["item"] = item.DeepClone() });
        _done.Add(item);
    }

    /// <summary>The fields of a text part's events: its item, indexes, then the part or the named text field and logprobs.</summary>
    private JsonObject Part(JsonObject? part, (string Name, string Value)? text = null)
    {
        var fields = new JsonObject
        {
            ["item_id"] = ResponseObjects.MessageId(nonce),
            ["output_index"] = _done.Count,
            ["content_index"] = 0,
        };
        if (part is not null)
        {
            fields["part"] = part;
        }

        if (text is { } named)
        {
            fields[named.Name] = named.Value;
            fields["logprobs"] = new JsonArray();
        }

        return fields;
    }

    private SseItem<string> Lifecycle(string type, string status, JsonArray output, JsonObject? usage) =>
        Event(type, new JsonObject { ["response"] = ResponseObjects.Response(id, envelope, status, output, usage, null, null) });

    private SseItem<string> Event(string type, JsonObject fields)
    {
        var data = new JsonObject { ["type"] = type, ["sequence_number"] = _sequence++ };
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            data[name] = value;
        }

        return new SseItem<string>(data.ToJsonString(OpenAiJson.Options), type);
    }
}
