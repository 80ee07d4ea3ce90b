using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Where a sans-I/O <see cref="DhtNode"/> hands the UDP datagrams it wants sent.</summary>
public interface IDatagramSender
{
    void Send(ReadOnlyMemory<byte> datagram, IPEndPoint destination);
}
