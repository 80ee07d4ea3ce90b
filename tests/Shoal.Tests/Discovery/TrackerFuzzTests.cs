using System.Net.Sockets;
using System.Text;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tests.Fuzzing;

namespace Shoal.Tests.Discovery;

/// <summary>Random and mutated packets and query strings: only <see cref="TrackerProtocolException"/> may escape.</summary>
public class TrackerFuzzTests
{
    private const int Iterations = 100_000;

    private static readonly InfoHash Hash = new(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());

    [Fact]
    public void Mutated_udp_packets_only_raise_tracker_exceptions()
    {
        List<byte[]> seeds = UdpSeeds();
        var mutator = new Mutator(15);
        for (int i = 0; i < Iterations; i++)
        {
            byte[] packet = i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Count]);
            if (i % 7 == 0 && packet.Length >= 12)
            {
                packet[11] = (byte)(i % 4); // steer the request action so each reader sees garbage bodies
            }

            Guard(() => UdpTrackerCodec.ReadRequest(packet));
            Guard(() => UdpTrackerCodec.ReadResponse(packet, AddressFamily.InterNetwork));
            Guard(() => UdpTrackerCodec.ReadResponse(packet, AddressFamily.InterNetworkV6));
        }
    }

    [Fact]
    public void Mutated_query_strings_only_raise_tracker_exceptions()
    {
        string[] seeds =
        [
            AnnounceRequestCodec.AppendQuery(new Uri("http://t/announce?passkey=1"), new AnnounceRequest(Hash, new byte[20], 6881, 1, 2, 3, AnnounceEvent.Started) { NumWant = 50, Key = "k", TrackerId = "t", IP = System.Net.IPAddress.Loopback }),
            ScrapeRequestCodec.AppendQuery(new Uri("http://t/scrape"), [Hash, new InfoHash(new byte[20])]),
        ];
        var mutator = new Mutator(48);
        int accepted = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] bytes = i % 10 == 0 ? mutator.RandomBytes(300) : mutator.Mutate(Encoding.ASCII.GetBytes(seeds[i % seeds.Length]));
            string query = Encoding.Latin1.GetString(bytes);
            query = query[(query.IndexOf('?', StringComparison.Ordinal) + 1)..];
            accepted += Guard(() => AnnounceRequestCodec.Parse(query)) ? 1 : 0;
            Guard(() => ScrapeRequestCodec.Parse(query));
        }

        Assert.InRange(accepted, 1, Iterations - 1);
    }

    [Fact]
    public void Mutated_http_responses_only_raise_tracker_exceptions()
    {
        byte[][] seeds =
        [
            AnnounceResponseCodec.Encode(new AnnounceResponse { Interval = 60, Complete = 1, Peers = [new(System.Net.IPAddress.Loopback, 1), new(System.Net.IPAddress.IPv6Loopback, 2)] }, compact: true),
            AnnounceResponseCodec.Encode(new AnnounceResponse { Interval = 60, TrackerId = "x", Peers = [new(System.Net.IPAddress.Loopback, 1)] }, compact: false),
            ScrapeResponseCodec.Encode(new ScrapeResponse { Files = new Dictionary<InfoHash, ScrapeStats> { [Hash] = new(1, 2, 3) } }),
        ];
        var mutator = new Mutator(3);
        for (int i = 0; i < Iterations / 4; i++)
        {
            byte[] body = i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Length]);
            Guard(() => AnnounceResponseCodec.Parse(body));
            Guard(() => ScrapeResponseCodec.Parse(body));
        }
    }

    private static bool Guard(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (TrackerProtocolException)
        {
            return false;
        }
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
