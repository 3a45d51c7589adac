using System.Text;
using System.Text.Json.Nodes;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// A conversation as its client keeps it: the questions and the answers it received, and the id the server gave or
/// the client chose. Used by one task at a time.
/// </summary>
internal sealed class Conversation(string key)
{
    private readonly List<(string Question, string Answer)> _exchanges = [];

    /// <summary>Names the conversation in its questions, e.g. <c>a3</c>.</summary>
    public string Key { get; } = key;

    /// <summary>The server's id of the conversation, once known.</summary>
    public string? SessionId { get; set; }

    public int Turns => _exchanges.Count;

    public void Add(string question, string answer) => _exchanges.Add((question, answer));

    /// <summary>The OpenAI <c>messages</c> of a stateless client: the whole history, then the new question.</summary>
    public JsonArray Messages(string question)
    {
        var messages = new JsonArray();
        foreach (var (asked, answered) in _exchanges)
        {
            messages.Add(Message("user", asked));
            messages.Add(Message("assistant", answered));
        }

        messages.Add(Message("user", question));
        return messages;
    }

    /// <summary>The seeds' prompt: the whole history as <c>User: ...</c> / <c>Assistant: ...</c> lines, the new question last.</summary>
    public string TranscriptPrompt(string question)
    {
        var prompt = new StringBuilder();
        foreach (var (asked, answered) in _exchanges)
        {
            prompt.Append("User: ").Append(asked).Append("\n\n");
            prompt.Append("Assistant: ").Append(answered).Append("\n\n");
        }

        return prompt.Append("User: ").Append(question).ToString();
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
