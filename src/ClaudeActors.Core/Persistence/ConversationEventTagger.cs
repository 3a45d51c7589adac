using System.Collections.Immutable;
using Akka.Persistence.Journal;
using ClaudeActors.Conversations;

namespace ClaudeActors.Persistence;

/// <summary>
/// The journal's write adapter for conversation events: every <see cref="IConversationEvent"/> but
/// <see cref="TranscriptAppended"/> is tagged <see cref="ConversationTags.Index"/>, for the conversation index. The
/// transcript is large and the index does not need it, so it is left out of the tag's stream.
/// </summary>
internal sealed class ConversationEventTagger : IWriteEventAdapter
{
    private static readonly IImmutableSet<string> IndexTags = ImmutableHashSet.Create(ConversationTags.Index);

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => evt is IConversationEvent and not TranscriptAppended ? new Tagged(evt, IndexTags) : evt;
}
