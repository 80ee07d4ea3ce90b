using System.Net;
using Shoal.Tracker.Limits;

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

    private readonly Lock _lock = new();
    private readonly WindowCounts<string> _names = new(Window);
    private readonly WindowCounts<IPAddress> _addresses = new(Window);

    /// <summary>Starts an attempt; false when the name or the address has failed too often lately.</summary>
    public bool TryBegin(string? name, IPAddress address)
    {
        DateTimeOffset now = time.GetUtcNow();
        lock (_lock)
        {
            if (_addresses.CountOf(address, now) >= FailuresPerAddress || (name is not null && _names.CountOf(name, now) >= FailuresPerName))
            {
                return false;
            }

            _addresses.Add(address, 1, now);
            if (name is not null)
            {
                _names.Add(name, 1, now);
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
            _names.Remove(name);
        }
    }
}
