namespace Shoal.Primitives;

/// <summary>
/// At most a limit of slots per key, taken and given back; thread-safe. A key with no slot taken is
/// forgotten, so what this holds is bounded by the slots taken.
/// </summary>
public sealed class KeyedSlots<TKey>(int limit)
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _taken = [];

    public bool TryTake(TKey key)
    {
        lock (_taken)
        {
            int taken = _taken.GetValueOrDefault(key);
            if (taken >= limit)
            {
                return false;
            }

            _taken[key] = taken + 1;
            return true;
        }
    }

    public void Release(TKey key)
    {
        lock (_taken)
        {
            int left = _taken[key] - 1;
            if (left == 0)
            {
                _taken.Remove(key);
            }
            else
            {
                _taken[key] = left;
            }
        }
    }
}
