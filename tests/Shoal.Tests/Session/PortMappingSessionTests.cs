using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Shoal.Net;
using Shoal.Net.PortMapping;
using Shoal.Session;
using Shoal.Tests.Discovery;
using Shoal.Tests.Net.PortMapping;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>A session behind a (fake, loopback) NAT-PMP router: the port the router maps is the one peers and trackers are given.</summary>
public sealed class PortMappingSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_mapped_port_is_announced_and_given_in_the_extension_handshake_and_the_mappings_go_at_stop()
    {
        await using LoopbackSwarm swarm = await LoopbackSwarm.CreateAsync(64 * 1024);
        await using var router = new FakeGateway(GatewaySpeaks.NatPmp) { PortOffset = 1000 };
        await using var tracker = new TestSwarmTracker();

        // PCP first, as by default: the NAT-PMP router answers it with version 0, and NAT-PMP maps.
        ShoalSession session = swarm.StartSession(configure: options => options with
        {
            PortMapping = true,
            PortMappingSetup = new PortMappingSetup
            {
                FindGateway = () => new Gateway(IPAddress.Loopback, IPAddress.Loopback),
                Clients =
                [
                    (gateway, time) => new PcpClient(router.EndPoint, gateway.InternalAddress, time),
                    (gateway, time) => new NatPmpClient(router.EndPoint, gateway.InternalAddress, time),
                ],
            },
        });
        int port = session.ListenEndPoint.Port;
        int external = port + 1000;
        using (var waited = new CancellationTokenSource(Timeout))
        {
            while (session.Reachability.Mappings.Any(m => m.State != PortMappingState.Mapped))
            {
                await Task.Delay(20, waited.Token);
            }
        }

        ReachabilityStatus reachability = session.Reachability;
        Assert.Equal((port, port), (reachability.TcpPort, reachability.UdpPort));
        Assert.All(reachability.Mappings, m => Assert.Equal(("NAT-PMP", external), (m.Method, m.ExternalPort)));
        Assert.Equal((FakeGateway.ExternalAddress, ExternalAddressSource.Gateway), (reachability.ExternalAddress, reachability.ExternalAddressSource));

        session.Add(swarm.Torrent, new AddTorrentOptions { ContentPath = swarm.ContentPath, ContentIsVerified = true, Trackers = [tracker.AnnounceUrl.ToString()] });
        await tracker.WaitForAsync(a => a.Count > 0, Timeout);
        Assert.All(tracker.Announces, a => Assert.Equal(external, a.Port));

        ExtensionHandshake theirs = await ExtensionHandshakeOfAsync(session.ListenEndPoint, swarm);
        Assert.Equal((ushort?)external, theirs.ListenPort);
        Assert.Equal(IPAddress.Loopback, theirs.YourIp);

        await session.DisposeAsync();

        Assert.Empty(router.Mappings);
        Assert.All(tracker.Announces, a => Assert.Equal(external, a.Port));
    }

    /// <summary>Dials the session as a plaintext peer and reads its BEP 10 handshake.</summary>
    private static async Task<ExtensionHandshake> ExtensionHandshakeOfAsync(IPEndPoint session, LoopbackSwarm swarm)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(session, timeout.Token);
        await using var stream = new NetworkStream(socket);
        byte[] ours = new byte[Handshake.Length];
        new Handshake(ReservedBits.MetadataOnly, swarm.Torrent.InfoHashes.ForWire, "-FK0000-port-mapping"u8.ToArray()).WriteTo(ours);
        await stream.WriteAsync(ours, timeout.Token);
        await stream.ReadExactlyAsync(new byte[Handshake.Length], timeout.Token);
        byte[] length = new byte[4];
        while (true)
        {
            await stream.ReadExactlyAsync(length, timeout.Token);
            byte[] message = new byte[BinaryPrimitives.ReadInt32BigEndian(length)];
            await stream.ReadExactlyAsync(message, timeout.Token);
            if (message is [(byte)MessageId.Extended, 0, ..])
            {
                return ExtensionHandshake.Parse(message.AsMemory(2));
            }
        }
    }
}
