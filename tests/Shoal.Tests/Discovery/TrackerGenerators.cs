using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Tests.Discovery;

/// <summary>Random valid tracker messages for round-trip properties.</summary>
internal static class TrackerGenerators
{
    private static readonly Gen<byte> Bytes = ArbMap.Default.GeneratorFor<byte>();

    private static readonly Gen<long> Longs = Gen.Frequency(
        (3, Gen.Choose(0, int.MaxValue).Select(i => (long)i)),
        (1, Gen.Elements(0L, 1L, long.MaxValue, (long)int.MaxValue + 1)),
        (2, ArbMap.Default.GeneratorFor<long>().Select(l => l == long.MinValue ? 0 : Math.Abs(l))));

    private static readonly Gen<string> Token = Gen.ListOf(Gen.Elements("a", "Z", "0", "%", "&", "=", "+", " ", "é", "€", "?", "#"))
        .Select(string.Concat);

    public static readonly Gen<InfoHash> Hashes = Gen.ArrayOf(Bytes, InfoHash.V1Length).Select(b => new InfoHash(b));

    public static readonly Gen<byte[]> PeerIds = Gen.ArrayOf(Bytes, AnnounceRequest.IdLength);

    // A random 16-byte address may be IPv4-mapped, which the codec sends as IPv4.
    public static readonly Gen<IPAddress> Addresses = Gen.OneOf(
        Gen.ArrayOf(Bytes, 4).Select(b => new IPAddress(b)),
        Gen.ArrayOf(Bytes, 16).Select(b => IPv4Mapping.Unmap(new IPAddress(b))));

    public static readonly Gen<IPEndPoint> EndPoints = Addresses.Zip(Gen.Choose(1, 65535), (a, p) => new IPEndPoint(a, p));

    public static readonly Gen<AnnounceEvent> Events = Gen.Elements(Enum.GetValues<AnnounceEvent>());

    /// <summary>BEP 15 has no code for BEP 21's paused: it goes over UDP as none.</summary>
    public static readonly Gen<AnnounceEvent> UdpEvents = Gen.Elements(Enum.GetValues<AnnounceEvent>().Where(e => e != AnnounceEvent.Paused).ToArray());

    public static readonly Gen<AnnounceRequest> AnnounceRequests =
        from hash in Hashes
        from peerId in PeerIds
        from port in Gen.Choose(1, 65535)
        from uploaded in Longs
        from downloaded in Longs
        from left in Longs
        from announceEvent in Events
        from compact in ArbMap.Default.GeneratorFor<bool>()
        from numWant in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, int.MaxValue).Select(i => (int?)i))
        from key in Gen.OneOf(Gen.Constant<string?>(null), Token.Select(s => (string?)s))
        from trackerId in Gen.OneOf(Gen.Constant<string?>(null), Token.Select(s => (string?)s))
        from ip in Gen.OneOf(Gen.Constant<IPAddress?>(null), Addresses.Select(a => (IPAddress?)a))
        select new AnnounceRequest(hash, peerId, port, uploaded, downloaded, left, announceEvent, compact)
        {
            NumWant = numWant,
            Key = key,
            TrackerId = trackerId,
            IP = ip,
        };

    private static readonly Gen<int?> OptionalCount = Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(0, int.MaxValue).Select(i => (int?)i));

    public static readonly Gen<AnnounceResponse> AnnounceResponses = Gen.Frequency(
        (1, Token.Select(AnnounceResponse.Failure)),
        (5,
            from interval in Gen.Choose(0, int.MaxValue)
            from minInterval in OptionalCount
            from complete in OptionalCount
            from incomplete in OptionalCount
            from peers in Gen.ListOf(EndPoints)
            from warning in Gen.OneOf(Gen.Constant<string?>(null), Token.Select(s => (string?)s))
            from trackerId in Gen.OneOf(Gen.Constant<string?>(null), Token.Select(s => (string?)s))
            select new AnnounceResponse
            {
                Interval = interval,
                MinInterval = minInterval,
                Complete = complete,
                Incomplete = incomplete,
                Peers = peers,
                WarningMessage = warning,
                TrackerId = trackerId,
            }));

    public static readonly Gen<ScrapeStats> Stats =
        from complete in Gen.Choose(0, int.MaxValue)
        from downloaded in Gen.Choose(0, int.MaxValue)
        from incomplete in Gen.Choose(0, int.MaxValue)
        select new ScrapeStats(complete, downloaded, incomplete);

    public static readonly Gen<ScrapeResponse> ScrapeResponses = Gen.Frequency(
        (1, Token.Select(reason => new ScrapeResponse { FailureReason = reason })),
        (5, Gen.ListOf(Hashes.Zip(Stats)).Select(entries => new ScrapeResponse
        {
            Files = entries.DistinctBy(e => e.Item1).ToDictionary(e => e.Item1, e => e.Item2),
        })));

    public static readonly Gen<UdpAnnounceRequest> UdpAnnounceRequests =
        from connectionId in ArbMap.Default.GeneratorFor<long>()
        from transactionId in ArbMap.Default.GeneratorFor<int>()
        from hash in Hashes
        from peerId in PeerIds
        from downloaded in Longs
        from left in Longs
        from uploaded in Longs
        from announceEvent in UdpEvents
        from ip in ArbMap.Default.GeneratorFor<uint>()
        from key in ArbMap.Default.GeneratorFor<uint>()
        from numWant in ArbMap.Default.GeneratorFor<int>()
        from port in ArbMap.Default.GeneratorFor<ushort>()
        select new UdpAnnounceRequest(connectionId, transactionId, hash, peerId, downloaded, left, uploaded, announceEvent, ip, key, numWant, port);

    public static Gen<UdpAnnounceResponse> UdpAnnounceResponses(AddressFamily family) =>
        from transactionId in ArbMap.Default.GeneratorFor<int>()
        from interval in ArbMap.Default.GeneratorFor<int>()
        from leechers in ArbMap.Default.GeneratorFor<int>()
        from seeders in ArbMap.Default.GeneratorFor<int>()
        from peers in Gen.ListOf(EndPoints.Where(e => e.AddressFamily == family))
        select new UdpAnnounceResponse(transactionId, interval, leechers, seeders, peers);

    public static readonly Gen<UdpScrapeRequest> UdpScrapeRequests =
        from connectionId in ArbMap.Default.GeneratorFor<long>()
        from transactionId in ArbMap.Default.GeneratorFor<int>()
        from count in Gen.Choose(1, UdpTrackerCodec.MaxScrapeInfoHashes)
        from hashes in Gen.ArrayOf(Hashes, count)
        select new UdpScrapeRequest(connectionId, transactionId, hashes);

    public static readonly Gen<UdpScrapeResponse> UdpScrapeResponses =
        from transactionId in ArbMap.Default.GeneratorFor<int>()
        from stats in Gen.ListOf(Stats)
        select new UdpScrapeResponse(transactionId, stats);

    public static bool SamePeers(IReadOnlyList<IPEndPoint> expected, IReadOnlyList<IPEndPoint> actual) =>
        expected.Count == actual.Count && expected.Zip(actual).All(pair => pair.First.Equals(pair.Second));
}

