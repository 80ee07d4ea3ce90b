using System.Net.Sockets;
using System.Text;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Discovery;

/// <summary>Random and mutated packets, query strings and answers: only <see cref="TrackerProtocolException"/> may escape.</summary>
[Trait("Category", "Fuzz")]
public class TrackerFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;

    private static readonly InfoHash Hash = new(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());

    [Theory]
    [InlineData("udp tracker request")]
    [InlineData("udp tracker response")]
    public void Mutated_udp_packets_only_raise_tracker_exceptions(string parser)
    {
        List<byte[]> seeds = UdpSeeds();
        var mutator = new Mutator(15);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, NextPacket, packet => FuzzRun.Accepts<TrackerProtocolException>(() =>
        {
            if (parser == "udp tracker request")
            {
                UdpTrackerCodec.ReadRequest(packet);
            }
            else
            {
                UdpTrackerCodec.ReadResponse(packet, packet.Length % 2 == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);
            }
        }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);

        byte[] NextPacket(int i)
        {
            byte[] packet = i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Count]);
            if (i % 7 == 0 && packet.Length >= 12)
            {
                packet[11] = (byte)(i % 4); // steer the request action so each reader sees garbage bodies
            }

            return packet;
        }
    }

    [Theory]
    [InlineData("announce query")]
    [InlineData("scrape query")]
    public void Mutated_query_strings_only_raise_tracker_exceptions(string parser)
    {
        string[] seeds =
        [
            AnnounceRequestCodec.AppendQuery(new Uri("http://t/announce?passkey=1"), new AnnounceRequest(Hash, new byte[20], 6881, 1, 2, 3, AnnounceEvent.Started) { NumWant = 50, Key = "k", TrackerId = "t", IP = System.Net.IPAddress.Loopback }),
            ScrapeRequestCodec.AppendQuery(new Uri("http://t/scrape"), [Hash, new InfoHash(new byte[20])]),
        ];
        var mutator = new Mutator(48);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i => i % 10 == 0 ? mutator.RandomBytes(300) : mutator.Mutate(Encoding.ASCII.GetBytes(seeds[i % seeds.Length])), bytes =>
        {
            string query = Encoding.Latin1.GetString(bytes);
            query = query[(query.IndexOf('?', StringComparison.Ordinal) + 1)..];
            return FuzzRun.Accepts<TrackerProtocolException>(() => _ = parser == "announce query" ? AnnounceRequestCodec.Parse(query) : (object)ScrapeRequestCodec.Parse(query));
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Theory]
    [InlineData("http announce response")]
    [InlineData("http scrape response")]
    public void Mutated_http_responses_only_raise_tracker_exceptions(string parser)
    {
        byte[][] seeds =
        [
            AnnounceResponseCodec.Encode(new AnnounceResponse { Interval = 60, Complete = 1, Peers = [new(System.Net.IPAddress.Loopback, 1), new(System.Net.IPAddress.IPv6Loopback, 2)] }, compact: true),
            AnnounceResponseCodec.Encode(new AnnounceResponse { Interval = 60, TrackerId = "x", Peers = [new(System.Net.IPAddress.Loopback, 1)] }, compact: false),
            ScrapeResponseCodec.Encode(new ScrapeResponse { Files = new Dictionary<InfoHash, ScrapeStats> { [Hash] = new(1, 2, 3) } }),
        ];
        var mutator = new Mutator(3);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun / 4, i => i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Length]), body =>
            FuzzRun.Accepts<TrackerProtocolException>(() => _ = parser == "http announce response" ? AnnounceResponseCodec.Parse(body) : (object)ScrapeResponseCodec.Parse(body)));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    private static List<byte[]> UdpSeeds()
    {
        var seeds = new List<byte[]>();
        void Add(Func<byte[], int> write)
        {
            var buffer = new byte[1500];
            seeds.Add(buffer[..write(buffer)]);
        }

        Add(b => UdpTrackerCodec.WriteConnectRequest(b, new UdpConnectRequest(1)));
        Add(b => UdpTrackerCodec.WriteConnectResponse(b, new UdpConnectResponse(1, 2)));
        Add(b => UdpTrackerCodec.WriteAnnounceRequest(b, new UdpAnnounceRequest(1, 2, Hash, new byte[20], 1, 2, 3, AnnounceEvent.Started, 0, 7, -1, 6881)));
        Add(b => UdpTrackerCodec.WriteAnnounceResponse(b, new UdpAnnounceResponse(1, 2, 3, 4, [new(System.Net.IPAddress.Loopback, 1), new(System.Net.IPAddress.Broadcast, 2)]), AddressFamily.InterNetwork));
        Add(b => UdpTrackerCodec.WriteAnnounceResponse(b, new UdpAnnounceResponse(1, 2, 3, 4, [new(System.Net.IPAddress.IPv6Loopback, 1)]), AddressFamily.InterNetworkV6));
        Add(b => UdpTrackerCodec.WriteScrapeRequest(b, new UdpScrapeRequest(1, 2, [Hash, Hash])));
        Add(b => UdpTrackerCodec.WriteScrapeResponse(b, new UdpScrapeResponse(1, [new(1, 2, 3), new(4, 5, 6)])));
        Add(b => UdpTrackerCodec.WriteError(b, new UdpErrorResponse(1, "error")));
        return seeds;
    }
}
