using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Shoal.Discovery.Lsd;

/// <summary>
/// A UDP socket joined to one BEP 14 multicast group: bound to the group's port on the wildcard address
/// with address reuse, so that several clients on one machine share the port, and with multicast loopback,
/// so that they hear each other.
/// </summary>
internal sealed class LsdSocket : IDisposable
{
    /// <summary>The largest UDP payload: a datagram is read whole, so an oversized one is seen as such.</summary>
    private const int ReceiveBufferSize = 65_536;

    private readonly Socket _socket;
    private readonly ILogger _logger;

    private LsdSocket(Socket socket, IPEndPoint group, ILogger logger)
    {
        _socket = socket;
        Group = group;
        _logger = logger;
    }

    public IPEndPoint Group { get; }

    /// <summary>The Host header for announces to this group (RFC 2732 form for IPv6).</summary>
    public string Host => Group.ToString();

    /// <summary>Opens a socket joined to <paramref name="group"/>; null, logged, when the system cannot.</summary>
    public static LsdSocket? TryOpen(IPEndPoint group, LsdOptions options, ILogger logger)
    {
        bool v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 ? !Socket.OSSupportsIPv6 : !Socket.OSSupportsIPv4)
        {
            LsdLog.CannotJoin(logger, group, "the address family is not supported");
            return null;
        }

        var socket = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ExclusiveAddressUse = false;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, group.Port));
            if (v6)
            {
                JoinV6(socket, group.Address, options);
            }
            else
            {
                JoinV4(socket, group.Address, options);
            }

            LsdLog.Joined(logger, group);
            return new LsdSocket(socket, group, logger);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            LsdLog.CannotJoin(logger, group, e.Message);
            return null;
        }
    }

    /// <summary>Sends one announce to the group; a failure is logged, as the next announce may succeed.</summary>
    public void Send(byte[] datagram)
    {
        try
        {
            _socket.SendTo(datagram, Group);
        }
        catch (SocketException e)
        {
            LsdLog.SendFailed(_logger, Group, e.Message);
        }
    }

    /// <summary>Hands every datagram received to <paramref name="onDatagram"/> until cancelled or disposed.</summary>
    public async Task ReceiveAsync(Action<IPAddress, ReadOnlyMemory<byte>> onDatagram, CancellationToken ct)
    {
        var buffer = new byte[ReceiveBufferSize];
        EndPoint any = new IPEndPoint(Group.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // An ICMP error from an earlier send can surface here; the socket is still usable.
                LsdLog.ReceiveFailed(_logger, Group, e.Message);
                continue;
            }

            onDatagram(((IPEndPoint)received.RemoteEndPoint).Address, buffer.AsMemory(0, received.ReceivedBytes));
        }
    }

    public void Dispose() => _socket.Dispose();

    private static void JoinV4(Socket socket, IPAddress group, LsdOptions options)
    {
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, options.IPv4Interface));
        if (!options.IPv4Interface.Equals(IPAddress.Any))
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, options.IPv4Interface.GetAddressBytes());
        }

        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.MulticastTimeToLive);
    }

    private static void JoinV6(Socket socket, IPAddress group, LsdOptions options)
    {
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, options.IPv6InterfaceIndex));
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, options.IPv6InterfaceIndex);
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
        socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, options.MulticastTimeToLive);
    }
}
