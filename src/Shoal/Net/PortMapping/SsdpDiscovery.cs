using System.Net;
using System.Net.Sockets;

namespace Shoal.Net.PortMapping;

/// <summary>
/// Asks the default gateway whether it is an Internet Gateway Device (UDA 1.1, 1.3.2): an M-SEARCH for IGD:1 and IGD:2
/// sent a few times from our address on the link towards it, its first answer taken. Anyone on the LAN can answer a
/// multicast search, so only the gateway's own answers count, and only when their LOCATION is on the gateway too: no
/// one else may send us to fetch from, and post our mappings to, another host.
/// </summary>
public static class SsdpDiscovery
{
    /// <summary>
    /// UDA 1.1 asks for a multicast TTL of 2 by default; the gateway is one hop away anyway.
    /// </summary>
    private const int MulticastTimeToLive = 2;

    /// <summary>The answer of <paramref name="gateway"/> to a search sent from <paramref name="local"/>.</summary>
    public static async Task<SsdpResponse> SearchAsync(IPAddress gateway, IPAddress local, UpnpIgdOptions options, TimeProvider time, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        IPEndPoint target = options.SearchEndPoint ?? SsdpCodec.MulticastEndPoint;
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

                IPAddress device = ((IPEndPoint)received.RemoteEndPoint).Address;
                if (!device.Equals(gateway))
                {
                    ignored = $"{device} answered, which is not the gateway";
                    continue;
                }

                try
                {
                    SsdpResponse response = SsdpCodec.DecodeResponse(buffer.AsSpan(0, received.ReceivedBytes));
                    if (!SsdpCodec.GatewayDeviceTypes.Contains(response.SearchTarget))
                    {
                        continue;
                    }

                    if (!IPAddress.TryParse(response.Location.Host, out IPAddress? host) || !host.Equals(gateway))
                    {
                        ignored = $"{device} answered with its description on another host ({response.Location}), which is not followed";
                        continue;
                    }

                    return response;
                }
                catch (PortMappingException e)
                {
                    ignored = $"{device} answered: {e.Message}";
                }
            }
        }

        double seconds = options.SearchRounds * options.SearchRoundTime.TotalSeconds;
        string because = ignored is null ? "" : $" ({ignored})";
        throw new PortMappingException($"the gateway {gateway} did not answer as a UPnP Internet Gateway Device to a search at {target} from {local} within {seconds:0.###} s{because}");
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
}
