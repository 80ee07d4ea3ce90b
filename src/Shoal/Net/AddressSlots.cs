using System.Net;
using Shoal.Primitives;

namespace Shoal.Net;

/// <summary>
/// A limit on the connections one address may open to us, counted from the accept, so handshakes still in
/// progress count: without it, one host with random peer ids could hold every slot of a torrent. Thread-safe;
/// an address with no connection left is forgotten, so what this holds is bounded by the open connections.
/// </summary>
internal sealed class AddressSlots(int limit)
{
    private readonly Dictionary<IPAddress, int> _taken = [];

    public bool TryTake(IPAddress address)
    {
        address = IPv4Mapping.Unmap(address);
        lock (_taken)
        {
            int taken = _taken.GetValueOrDefault(address);
            if (taken >= limit)
            {
                return false;
            }

            _taken[address] = taken + 1;
            return true;
        }
    }

    public void Release(IPAddress address)
    {
        address = IPv4Mapping.Unmap(address);
        lock (_taken)
        {
            int left = _taken[address] - 1;
            if (left == 0)
            {
                _taken.Remove(address);
            }
            else
            {
                _taken[address] = left;
            }
        }
    }
}
