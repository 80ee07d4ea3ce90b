using System.Net;

namespace Shoal.Tracker.Accounts;

/// <summary>
/// Failed logins per name and per address in a five-minute window. An attempt counts as a failure
/// from the moment it starts, so a burst of concurrent guesses is cut off before its passwords are
/// hashed; a success takes its attempt back and clears the name.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int FailuresPerName = 10;
    public const int FailuresPerAddress = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const int MaxTracked = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Failures> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, Failures> _addresses = [];

    /// <summary>Starts an attempt; false when the name or the address has failed too often lately.</summary>
    public bool TryBegin(string? name, IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            Failures byAddress = Current(_addresses, address, now);
            Failures byName = name is null ? default : Current(_names, name, now);
            if (byAddress.Count >= FailuresPerAddress || byName.Count >= FailuresPerName)
            {
                return false;
            }

            _addresses[address] = byAddress with { Count = byAddress.Count + 1 };
            if (name is not null)
            {
                _names[name] = byName with { Count = byName.Count + 1 };
            }

            return true;
        }
    }

    public void Succeeded(string name, IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            Failures byAddress = Current(_addresses, address, now);
            _addresses[address] = byAddress with { Count = Math.Max(0, byAddress.Count - 1) };
            _names.Remove(name);
        }
    }

    private static Failures Current<TKey>(Dictionary<TKey, Failures> table, TKey key, DateTimeOffset now)
        where TKey : notnull
    {
        if (table.TryGetValue(key, out Failures failures) && now - failures.Since < Window)
        {
            return failures;
        }

        if (table.Count >= MaxTracked)
        {
            // Strangers choose the keys: drop what has expired rather than grow.
            foreach (TKey old in table.Where(entry => now - entry.Value.Since >= Window).Select(entry => entry.Key).ToList())
            {
                table.Remove(old);
            }
        }

        return new Failures(now, 0);
    }

    private readonly record struct Failures(DateTimeOffset Since, int Count);
}
