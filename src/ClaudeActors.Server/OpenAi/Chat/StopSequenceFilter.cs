using System.Text;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Applies OpenAI <c>stop</c> sequences to streamed text: passes text on as soon as it cannot be the start of a stop
/// sequence, holds back the tail that still could, and cuts the output where a sequence first appears (the sequence
/// itself is not part of the answer, as with OpenAI).
/// </summary>
internal sealed class StopSequenceFilter(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _pending = new();

    public bool Stopped { get; private set; }

    /// <summary>Adds a delta; returns the text that may go to the client now (possibly empty).</summary>
    public string Push(string delta)
    {
        if (Stopped)
        {
            return "";
        }

        if (stops.Count == 0)
        {
            return delta;
        }

        _pending.Append(delta);
        var text = _pending.ToString();
        var cut = -1;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }

        if (cut >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return text[..cut];
        }

        var hold = HeldBack(text);
        _pending.Clear().Append(text, text.Length - hold, hold);
        return text[..^hold];
    }

    /// <summary>The held-back tail, once the answer is complete and no stop sequence came.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>Applies the stop sequences to a whole answer.</summary>
    public static (string Text, bool Stopped) Apply(string text, IReadOnlyList<string> stops)
    {
        var filter = new StopSequenceFilter(stops);
        var head = filter.Push(text);
        return (head + filter.Flush(), filter.Stopped);
    }

    private int HeldBack(string text)
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
