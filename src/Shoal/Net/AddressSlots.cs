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
    private readonly KeyedSlots<IPAddress> _taken = new(limit);

    public bool TryTake(IPAddress address) => _taken.TryTake(IPv4Mapping.Unmap(address));

    public void Release(IPAddress address) => _taken.Release(IPv4Mapping.Unmap(address));
}
