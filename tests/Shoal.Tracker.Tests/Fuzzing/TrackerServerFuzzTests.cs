using System.Buffers.Binary;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Shoal.Bencoding;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tests.Fuzzing;
using Shoal.Tracker.Api;
using Shoal.Tracker.Http;
using Shoal.Tracker.Swarms;
using Shoal.Tracker.Udp;
using Shoal.TrackerApi.Accounts;
using Xunit.Abstractions;

namespace Shoal.Tracker.Tests.Fuzzing;

/// <summary>
/// Random and mutated requests straight into the tracker's handlers over its real store: every one is answered,
/// refused or dropped, nothing escapes, and the store holds no more than the announces of one peer timeout.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class TrackerServerFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 50_000;

    // Inputs between two sweeps that expire every peer, as a peer timeout of real time would.
    private const int SweepEvery = 100_000;

    private static readonly InfoHash Hash = new(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
    private static readonly IPEndPoint[] Remotes = [new(IPAddress.Parse("10.1.2.3"), 6881), new(IPAddress.Parse("2001:db8::5"), 6881)];

    [Fact]
    public async Task Mutated_udp_requests_are_answered_or_dropped()
    {
        await using InProcessTracker tracker = await InProcessTracker.StartAsync();
        byte[][] seeds = UdpSeeds(tracker);
        var mutator = new Mutator(1515);
        byte[] response = new byte[UdpRequestHandler.MaxResponseLength(tracker.Options.MaxNumWant)];
        IPEndPoint remote = Remotes[0];
        int mostSwarms = 0;
        FuzzResult result = FuzzRun.Run(output, "udp tracker server", PerRun, i =>
        {
            if (i > 0 && i % SweepEvery == 0)
            {
                tracker.ExpireEveryPeer();
                seeds = UdpSeeds(tracker);
            }

            // Each seed carries the connection id of its remote.
            remote = Remotes[i % seeds.Length % Remotes.Length];
            return i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Length]);
        }, packet =>
        {
            int length = tracker.Udp.HandleAsync(packet, remote, response, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            mostSwarms = Math.Max(mostSwarms, tracker.Swarms.SwarmCount);
            return length > 0 && BinaryPrimitives.ReadInt32BigEndian(response) != (int)UdpTrackerAction.Error;
        });
        output.WriteLine($"at most {mostSwarms:N0} swarms");
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Theory]
    [InlineData("http announce server")]
    [InlineData("http scrape server")]
    public async Task Mutated_queries_get_a_bencoded_answer_or_failure(string parser)
    {
        await using InProcessTracker tracker = await InProcessTracker.StartAsync();
        string[] seeds =
        [
            AnnounceRequestCodec.AppendQuery(new Uri("http://t/announce"), new AnnounceRequest(Hash, new byte[20], 6881, 1, 2, 3, AnnounceEvent.Started) { NumWant = 50, Key = "k" }),
            ScrapeRequestCodec.AppendQuery(new Uri("http://t/scrape"), [Hash, new InfoHash(new byte[20])]),
        ];
        var mutator = new Mutator(80);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i =>
        {
            if (i > 0 && i % SweepEvery == 0)
            {
                tracker.ExpireEveryPeer();
            }

            byte[] query = i % 10 == 0 ? mutator.RandomBytes(300) : mutator.Mutate(Encoding.ASCII.GetBytes(seeds[i % seeds.Length]));
            return [.. query.SkipWhile(b => b != '?').Skip(1)];
        }, query =>
        {
            var context = new DefaultHttpContext();
            context.Request.QueryString = new QueryString("?" + Encoding.Latin1.GetString(query));
            context.Connection.RemoteIpAddress = Remotes[query.Length % Remotes.Length].Address;
            var body = new MemoryStream();
            context.Response.Body = body;
            (parser == "http announce server" ? tracker.Announce.HandleAsync(context) : tracker.Scrape.HandleAsync(context)).GetAwaiter().GetResult();
            return BencodeDecoder.DecodeDictionary(body.ToArray())["failure reason"] is null;
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Damaged_saved_peers_are_restored_with_a_port_and_an_expiry_within_the_timeout()
    {
        const long Now = 1_000_000;
        TimeSpan timeout = TimeSpan.FromMinutes(46);
        var table = new SwarmTable(PeerCapsForTests.Unlimited, new CompletedCounts(new Dictionary<InfoHashKey, long>()));
        byte[] seed = new byte[4 * SavedSwarm.EntryLength];
        for (int i = 0; i < 4; i++)
        {
            SavedSwarm.WriteEntry(seed.AsSpan(i * SavedSwarm.EntryLength), new PeerAddress(IPAddress.Parse($"10.0.0.{i}"), 6881 + i), i % 2 == 0, Now + 60);
        }

        var mutator = new Mutator(18);
        FuzzResult result = FuzzRun.Run(output, "saved tracker peers", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seed), peers =>
        {
            (int restored, _) = table.Restore([new SavedSwarm(InfoHashKey.From(new InfoHash([.. Enumerable.Repeat((byte)(peers.Length % 4), 20)])), peers)], Now, timeout);
            if (table.PeerCount > 1000)
            {
                Assert.All(table.Copies(table.TakeChanges().Changed).SelectMany(swarm => Enumerable.Range(0, swarm.Count).Select(swarm.ReadEntry)), entry =>
                    Assert.True(entry.Peer.Port != 0 && entry.ExpiresAt <= Now + timeout.TotalSeconds, $"{entry} restored"));
                table.Expire(Now + (long)timeout.TotalSeconds);
                Assert.Equal(0, table.PeerCount);
            }

            return restored > 0;
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Theory]
    [InlineData("tracker api paging query")]
    [InlineData("tracker api info-hash path")]
    public void Mutated_api_queries_and_paths_are_read_or_refused(string parser)
    {
        string[] seeds = parser == "tracker api paging query" ? ["q=big%20movie&page=2&perPage=10", "page=1000000&perPage=500&q="] : [new string('a', 40) + ".torrent", new string('0', 64)];
        var mutator = new Mutator(81);
        FuzzResult result = FuzzRun.Run(output, parser, PerRun, i => i % 10 == 0 ? mutator.RandomBytes(100) : mutator.Mutate(Encoding.UTF8.GetBytes(seeds[i % seeds.Length])), input =>
        {
            string text = Encoding.UTF8.GetString(input);
            if (parser == "tracker api paging query")
            {
                return FileIndexEndpoints.TryReadPaging(new QueryCollection(QueryHelpers.ParseQuery(text)), out _, out int page, out int perPage, out _)
                    && page >= 1 && perPage >= 1;
            }

            var context = new DefaultHttpContext();
            context.Request.RouteValues["hash"] = text;
            return FuzzRun.Accepts<ApiException>(() => TorrentRequests.SwarmOf(context, "hash"));
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Mutated_json_bodies_are_read_whole_or_refused()
    {
        byte[][] seeds =
        [
            """{"name":"alice","password":"correct horse"}"""u8.ToArray(),
            """{"current":"correct horse","new":"battery staple"}"""u8.ToArray(),
            """{"name":"physics"}"""u8.ToArray(),
        ];
        var mutator = new Mutator(82);
        FuzzResult result = FuzzRun.Run(output, "tracker api json body", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(100) : mutator.Mutate(seeds[i % seeds.Length]), json =>
        {
            var context = new DefaultHttpContext();
            context.Request.Body = new MemoryStream(json);
            context.Request.ContentLength = json.Length;
            context.Request.ContentType = "application/json";
            // Reads every field, which throws on a null the type does not allow.
            return FuzzRun.Accepts<ApiException>(() => _ = (json.Length % 3) switch
            {
                0 => ApiJson.ReadAsync<Credentials>(context).GetAwaiter().GetResult() is var c ? c.Name.Length + c.Password.Length : 0,
                1 => ApiJson.ReadAsync<PasswordChange>(context).GetAwaiter().GetResult() is var p ? p.Current.Length + p.New.Length : 0,
                _ => ApiJson.ReadAsync<NewGroup>(context).GetAwaiter().GetResult().Name.Length,
            });
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    /// <summary>A connect, an announce and a scrape from each remote, with its connection id of now.</summary>
    private static byte[][] UdpSeeds(InProcessTracker tracker)
    {
        var seeds = new List<byte[]>();
        foreach (IPEndPoint remote in Remotes)
        {
            long id = tracker.ConnectionIds.Issue(remote.Address);
            byte[] connect = new byte[UdpTrackerCodec.ConnectRequestLength];
            UdpTrackerCodec.WriteConnectRequest(connect, new UdpConnectRequest(1));
            byte[] announce = new byte[UdpTrackerCodec.AnnounceRequestLength];
            UdpTrackerCodec.WriteAnnounceRequest(announce, new UdpAnnounceRequest(id, 2, Hash, new byte[20], 1, 2, 3, AnnounceEvent.Started, 0, 7, -1, 6881));
            byte[] scrape = new byte[UdpTrackerCodec.ScrapeRequestHeaderLength + (2 * InfoHash.V1Length)];
            UdpTrackerCodec.WriteScrapeRequest(scrape, new UdpScrapeRequest(id, 3, [Hash, Hash]));
            seeds.AddRange([connect, announce, scrape]);
        }

        // Ordered so that seed k comes from remote k % Remotes.Length.
        return [.. Enumerable.Range(0, seeds.Count).Select(k => seeds[((k % Remotes.Length) * 3) + (k / Remotes.Length)])];
    }
}
