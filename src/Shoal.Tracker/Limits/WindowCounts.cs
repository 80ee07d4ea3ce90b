namespace Shoal.Tracker.Limits;

/// <summary>
/// Counts per key in a window that starts at the key's first count. Not thread-safe: the owner locks,
/// so it can check and count several tables as one step.
/// </summary>
internal sealed class WindowCounts<TKey>(TimeSpan window)
    where TKey : notnull
{
    private const int MaxTracked = 100_000;

    private readonly Dictionary<TKey, Window> _windows = [];

    public int CountOf(TKey key, DateTimeOffset now) => Current(key, now).Count;

    public void Add(TKey key, int delta, DateTimeOffset now)
    {
        Window current = Current(key, now);
        _windows[key] = current with { Count = Math.Max(0, current.Count + delta) };
    }

    public void Remove(TKey key) => _windows.Remove(key);

    private Window Current(TKey key, DateTimeOffset now)
    {
        if (_windows.TryGetValue(key, out Window current) && now - current.Since < window)
        {
            return current;
        }

        if (_windows.Count >= MaxTracked)
        {
            // Strangers choose the keys: drop what has expired rather than grow.
            foreach (TKey old in _windows.Where(entry => now - entry.Value.Since >= window).Select(entry => entry.Key).ToList())
            {
                _windows.Remove(old);
            }
        }

        return new Window(now, 0);
    }

    private readonly record struct Window(DateTimeOffset Since, int Count);
}
