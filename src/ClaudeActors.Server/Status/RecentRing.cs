namespace ClaudeActors.Server.Status;

/// <summary>
/// The last <see cref="Capacity"/> items added, oldest dropped first; safe for many writers and readers. Each item is
/// numbered in the order it was added (from 1), so a reader can tell new items from those it has seen.
/// </summary>
internal sealed class RecentRing<T>
{
    private readonly Lock _lock = new();
    private readonly T[] _items;
    private long _added;

    public RecentRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new T[capacity];
    }

    public int Capacity => _items.Length;

    /// <summary>How many items were ever added (the number of the newest).</summary>
    public long Added
    {
        get
        {
            lock (_lock)
            {
                return _added;
            }
        }
    }

    /// <summary>Adds the item <paramref name="create"/> makes from its number, and returns it.</summary>
    public T Add(Func<long, T> create)
    {
        lock (_lock)
        {
            var item = create(++_added);
            _items[(_added - 1) % _items.Length] = item;
            return item;
        }
    }

    /// <summary>The items kept, newest first.</summary>
    public IReadOnlyList<T> NewestFirst()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_added, _items.Length);
            var result = new T[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = _items[(_added - 1 - i) % _items.Length];
            }

            return result;
        }
    }
}
