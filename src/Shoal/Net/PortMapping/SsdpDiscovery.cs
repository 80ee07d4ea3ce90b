using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Shoal.Net.PortMapping;

/// <summary>A gateway that answered our search: its answer, its address, and ours on the link towards it.</summary>
public sealed record SsdpAnswer(SsdpResponse Response, IPAddress Device, IPAddress LocalAddress);

/// <summary>
/// Looks for an Internet Gateway Device (UDA 1.1, 1.3.2): an M-SEARCH for IGD:1 and IGD:2 sent a few times from our
/// address on the link towards the default gateway, the first acceptable answer taken. An answer whose LOCATION names
/// another host than the one that answered is ignored: anyone on the LAN can answer a multicast search, and must not
/// send us to fetch from, and post our mappings to, a third host.
/// </summary>
public static class SsdpDiscovery
{
    /// <summary>
    /// UDA 1.1 asks for a multicast TTL of 2 by default; the gateway is one hop away anyway.
    /// </summary>
    private const int MulticastTimeToLive = 2;

    public static async Task<SsdpAnswer> SearchAsync(UpnpIgdOptions options, TimeProvider time, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        IPEndPoint target = options.SearchEndPoint ?? SsdpCodec.MulticastEndPoint;
        IPAddress local = LocalAddressTowards(options.SearchEndPoint?.Address ?? DefaultGateway());
        using Socket socket = Open(local, target);
        byte[][] searches = [.. SsdpCodec.GatewayDeviceTypes.Select(t => SsdpCodec.EncodeSearch(t, options.SearchMaxWaitSeconds))];
        byte[] buffer = new byte[SsdpCodec.MaxResponseSize + 1];
        string? ignored = null;
        for (int round = 0; round < options.SearchRounds; round++)
        {
            try
            {
                foreach (byte[] search in searches)
                {
                    await socket.SendToAsync(search, SocketFlags.None, target, cancel).ConfigureAwait(false);
                }
            }
            catch (SocketException e)
            {
                throw new PortMappingException($"could not send a search for a gateway to {target} from {local}: {e.Message}", e);
            }

            using var roundEnd = new CancellationTokenSource(options.SearchRoundTime, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, roundEnd.Token);
            while (true)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException)
                {
                    // An ICMP port unreachable from an earlier unicast search: nothing listens there; keep waiting.
                    continue;
                }

                var device = (IPEndPoint)received.RemoteEndPoint;
                try
                {
                    SsdpResponse response = SsdpCodec.DecodeResponse(buffer.AsSpan(0, received.ReceivedBytes));
                    if (!SsdpCodec.GatewayDeviceTypes.Contains(response.SearchTarget))
                    {
                        continue;
                    }

                    if (!IPAddress.TryParse(response.Location.Host, out IPAddress? host) || !host.Equals(device.Address))
                    {
                        ignored = $"{device.Address} answered with its description on another host ({response.Location}), which is not followed";
                        continue;
                    }

                    return new SsdpAnswer(response, device.Address, local);
                }
                catch (PortMappingException e)
                {
                    ignored = $"{device.Address} answered: {e.Message}";
                }
            }
        }

        double seconds = options.SearchRounds * options.SearchRoundTime.TotalSeconds;
        string because = ignored is null ? "" : $" ({ignored})";
        throw new PortMappingException($"no UPnP Internet Gateway Device answered a search at {target} from {local} within {seconds:0.###} s{because}");
    }

    private static Socket Open(IPAddress local, IPEndPoint target)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
            if (target.Address.Equals(SsdpCodec.MulticastEndPoint.Address))
            {
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, local.GetAddressBytes());
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, MulticastTimeToLive);
            }

            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PortMappingException($"could not open a socket on {local} to search for a gateway: {e.Message}", e);
        }
    }

    /// <summary>Our address on the link towards <paramref name="address"/>, as routing picks it (connecting a UDP socket sends nothing).</summary>
    public static IPAddress LocalAddressTowards(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Connect(address, SsdpCodec.MulticastEndPoint.Port);
        }
        catch (SocketException e)
        {
            throw new PortMappingException($"no route to the gateway {address}: {e.Message}", e);
        }

        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    private static IPAddress DefaultGateway()
    {
        IPAddress? gateway = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus != OperationalStatus.Down && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().GatewayAddresses)
            .Select(g => g.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));
        return gateway ?? throw new PortMappingException("no IPv4 default gateway: this machine has no router to ask for a port");
    }
}
