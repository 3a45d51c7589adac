using ClaudeActors.Conversations;
using ClaudeActors.Tenants;

namespace ClaudeActors.Projections;

/// <summary>
/// The <see cref="ConversationIndex"/>'s data: the record of every conversation (not its turns or transcript), ordered for
/// paging and grouped by history hash. Every change carries the conversation's sequence number; one that is not newer
/// than what the book has seen for that conversation is ignored, so events may arrive twice and from two sources (the
/// journal query and the entity's local publication) in any order. Not thread-safe: the actor owns it.
/// </summary>
internal sealed class ConversationIndexBook
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SortedSet<ConversationRecord> _byCreated = new(NewestFirst.Instance);
    private readonly Dictionary<string, HashSet<string>> _byHash = new(StringComparer.Ordinal);

    /// <summary>Conversations in the book.</summary>
    public int Count => _byCreated.Count;

    /// <summary>The record, or null.</summary>
    public ConversationRecord? Get(string conversationId) => _entries.GetValueOrDefault(conversationId)?.Record;

    /// <summary>Folds one tagged event of the conversation; false when it was seen already.</summary>
    public bool Apply(string conversationId, long sequenceNr, IConversationEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (!IsNew(conversationId, sequenceNr))
        {
            return false;
        }

        // The state's own fold, on a state without turns or transcript: what it keeps beyond the record is dropped.
        var state = new ConversationState { Record = Get(conversationId) }.Apply(@event);
        return Set(conversationId, sequenceNr, state.Record);
    }

    /// <summary>Sets the conversation's record after event <paramref name="sequenceNr"/> (null: deleted); false when seen already.</summary>
    public bool Set(string conversationId, long sequenceNr, ConversationRecord? record)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        if (!IsNew(conversationId, sequenceNr))
        {
            return false;
        }

        if (_entries.GetValueOrDefault(conversationId)?.Record is { } old)
        {
            _byCreated.Remove(old);
            if (old.HistoryHash is { } oldHash && _byHash.TryGetValue(oldHash, out var ids))
            {
                ids.Remove(conversationId);
                if (ids.Count == 0)
                {
                    _byHash.Remove(oldHash);
                }
            }
        }

        // A deleted conversation keeps its sequence number (a tombstone): its older events must not bring it back.
        _entries[conversationId] = new Entry(record, sequenceNr);
        if (record is not null)
        {
            _byCreated.Add(record);
            if (record.HistoryHash is { } hash)
            {
                if (!_byHash.TryGetValue(hash, out var ids))
                {
                    ids = new HashSet<string>(StringComparer.Ordinal);
                    _byHash[hash] = ids;
                }

                ids.Add(conversationId);
            }
        }

        return true;
    }

    /// <summary>
    /// A page, most recently created first (ties by id), after the conversation <paramref name="after"/>: only
    /// <paramref name="tenant"/>'s conversations, or every tenant's when it is null.
    /// </summary>
    public ConversationPage List(int limit, string? after, string? tenant = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        IEnumerable<ConversationRecord> rows = _byCreated;
        if (after is not null)
        {
            if (Get(after) is not { } anchor)
            {
                return new ConversationPage([], false);
            }

            rows = _byCreated.GetViewBetween(anchor, _byCreated.Max!).Skip(1);
        }

        if (tenant is not null)
        {
            rows = rows.Where(record => ConversationKey.TenantOf(record.Id) == tenant);
        }

        var items = rows.Take(limit + 1).ToList();
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(limit);
        }

        return new ConversationPage(items, hasMore);
    }

    /// <summary>
    /// The most recently used conversation of <paramref name="tenant"/> whose history hash is <paramref name="hash"/> (ties
    /// by id), or null. Another tenant's conversation with that history is never the answer.
    /// </summary>
    public string? FindByHistoryHash(string hash, string tenant = ConversationKey.DefaultTenant)
    {
        if (!_byHash.TryGetValue(hash, out var ids))
        {
            return null;
        }

        return ids.Where(id => ConversationKey.TenantOf(id) == tenant)
            .Select(id => _entries[id].Record!)
            .OrderByDescending(record => record.LastUsed)
            .ThenBy(record => record.Id, StringComparer.Ordinal)
            .FirstOrDefault()?.Id;
    }

    /// <summary>See <see cref="FindExpired"/>: idle or failed-start conversations, the longest unused first.</summary>
    public List<string> FindExpired(Retention.Expiry expiry, int limit) =>
        [.. _byCreated
            .Where(expiry.Covers)
            .OrderBy(record => record.LastUsed)
            .ThenBy(record => record.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(record => record.Id)];

    private bool IsNew(string conversationId, long sequenceNr) =>
        !_entries.TryGetValue(conversationId, out var entry) || sequenceNr > entry.SequenceNr;

    private sealed record Entry(ConversationRecord? Record, long SequenceNr);

    /// <summary>Created descending, then id (ordinal) ascending: the order of <c>GET /v1/sessions</c>.</summary>
    private sealed class NewestFirst : IComparer<ConversationRecord>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(ConversationRecord? x, ConversationRecord? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var created = y.Created.CompareTo(x.Created);
            return created != 0 ? created : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}
