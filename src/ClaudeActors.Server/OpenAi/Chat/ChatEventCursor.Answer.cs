using System.Text;
using ClaudeActors.Chat;

namespace ClaudeActors.Server.OpenAi.Chat;

internal sealed partial class ChatEventCursor
{
    /// <summary>
    /// Reads the rest of a turn that is answered whole (not streamed): the answer's text (the deltas of its last attempt,
    /// or the completion's text when no delta came) and its completion; or the failure the turn ended in.
    /// </summary>
    public async Task<(string Text, ChatCompleted? Completed, ChatFailure? Failure)> ReadAnswerAsync()
    {
        var text = new StringBuilder();
        ChatCompleted? completed = null;
        while (true)
        {
            var (ev, failure) = await NextAsync().ConfigureAwait(false);
            if (failure is not null)
            {
                return ("", null, failure);
            }

            switch (ev)
            {
                case null:
                    return (text.Length > 0 ? text.ToString() : completed?.Text ?? "", completed, null);
                case ChatStarted:
                    text.Clear();
                    break;
                case ChatTextDelta delta:
                    text.Append(delta.Text);
                    break;
                case ChatCompleted done:
                    completed = done;
                    break;
            }
        }
    }
}
