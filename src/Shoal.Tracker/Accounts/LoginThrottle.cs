using System.Net;
using Shoal.Tracker.Limits;

namespace Shoal.Tracker.Accounts;

/// <summary>
/// Failed logins per name from an address, and per address, in a five-minute window: guesses from
/// one address are cut off, yet a stranger failing with a name never locks its owner out elsewhere.
/// An attempt counts as a failure from the moment it starts, so a burst of concurrent guesses is
/// cut off before its passwords are hashed; a success takes its attempt back and clears the name
/// at that address.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    /// <summary>Failures for one name from one address.</summary>
    public const int FailuresPerName = 10;
    public const int FailuresPerAddress = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly WindowCounts<(string Name, IPAddress Address)> _names = new(Window);
    private readonly WindowCounts<IPAddress> _addresses = new(Window);

    /// <summary>Starts an attempt; false when the address, or the name from this address, has failed too often lately.</summary>
    public bool TryBegin(string? name, IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_addresses.CountOf(address, now) >= FailuresPerAddress || (name is not null && _names.CountOf((name, address), now) >= FailuresPerName))
            {
                return false;
            }

            _addresses.Add(address, 1, now);
            if (name is not null)
            {
                _names.Add((name, address), 1, now);
            }

            return true;
        }
    }

    public void Succeeded(string name, IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            _addresses.Add(address, -1, now);
            _names.Remove((name, address));
        }
    }
}
