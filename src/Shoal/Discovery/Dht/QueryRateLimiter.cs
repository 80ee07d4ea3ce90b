using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Caps the queries answered per source address in each one-second window, tracking a bounded number of addresses.</summary>
internal sealed class QueryRateLimiter(int perSecond, int maxAddresses)
{
    private readonly Dictionary<IPAddress, int> _counts = [];
    private long _window = long.MinValue;

    public bool Allow(IPAddress address, DateTimeOffset now)
    {
        long window = now.ToUnixTimeSeconds();
        if (window != _window)
        {
            _window = window;
            _counts.Clear();
        }

        _counts.TryGetValue(address, out int count);
        if (count >= perSecond || (count == 0 && _counts.Count >= maxAddresses))
        {
            return false;
        }

        _counts[address] = count + 1;
        return true;
    }
}
