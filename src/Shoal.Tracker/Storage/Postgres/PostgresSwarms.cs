using System.Net;
using Npgsql;
using NpgsqlTypes;
using Shoal.Discovery.Trackers;
using Shoal.Primitives;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Storage.Postgres;

/// <summary>
/// Swarms shared by every tracker instance on one database: each announce is one round trip, a
/// batch of three statements that PostgreSQL runs as one transaction. A new peer is refused at the
/// <see cref="PeerCaps"/>: per swarm and per address counted in the announce's own statement, in all
/// from <see cref="PostgresPeerCensus"/>'s last count.
/// </summary>
internal sealed class PostgresSwarms(NpgsqlDataSource dataSource, TimeSpan peerTimeout, PeerCaps caps, PostgresPeerCensus census, TimeProvider time)
{
    // RETURNING gives only the new row, so the asker's previous row is read in a CTE, locked so that
    // concurrent announces of one peer take turns; the refusal reads that CTE and the upsert reads the
    // refusal, so both are evaluated before the row changes. A new peer's caps are counted with LIMIT,
    // so a check reads at most a cap's worth of index entries; announces running at once may each see
    // room for one more, so a cap can be passed by as many as run together. A completed event counts
    // unless the previous row was a seeder's. The statement's rows are the refusal: null, which cap, or
    // 4 for an announce admitted as public to a swarm a group has claimed (GroupSwarms: another instance
    // may have shared it a moment ago), checked in this round trip rather than by a query of its own.
    private const string RecordSql = """
        WITH previous AS MATERIALIZED (
            SELECT seeder FROM peers WHERE info_hash = @hash AND ip = @ip AND port = @port FOR UPDATE
        ), refusal AS MATERIALIZED (
            SELECT CASE
                WHEN @asPublic AND EXISTS (SELECT 1 FROM swarm_claims WHERE info_hash = @hash AND NOT is_public) THEN 4
                WHEN @stopped OR EXISTS (SELECT 1 FROM previous) THEN NULL
                WHEN @full THEN 1
                WHEN (SELECT count(*) FROM (SELECT 1 FROM peers WHERE info_hash = @hash AND expires_at > @now LIMIT @perSwarm) AS s) >= @perSwarm THEN 2
                WHEN (SELECT count(*) FROM (
                        SELECT 1 FROM peers WHERE block = network(set_masklen(@ip, CASE WHEN family(@ip) = 4 THEN 32 ELSE 64 END)) AND expires_at > @now LIMIT @perAddress
                     ) AS a) >= @perAddress THEN 3
            END AS cap
        ), gone AS (
            DELETE FROM peers WHERE @stopped AND info_hash = @hash AND ip = @ip AND port = @port
        ), refreshed AS (
            INSERT INTO peers (info_hash, ip, port, seeder, expires_at)
            SELECT @hash, @ip, @port, @seeder, @expires FROM refusal WHERE NOT @stopped AND refusal.cap IS NULL
            ON CONFLICT (info_hash, ip, port) DO UPDATE SET seeder = excluded.seeder, expires_at = excluded.expires_at
        ), finished AS (
            INSERT INTO completed (info_hash, count)
            SELECT @hash, 1 FROM refusal WHERE @completed AND refusal.cap IS NULL AND NOT coalesce((SELECT seeder FROM previous), false)
            ON CONFLICT (info_hash) DO UPDATE SET count = completed.count + 1
        )
        SELECT cap FROM refusal
        """;

    private const string CountsSql = """
        SELECT count(*) FILTER (WHERE seeder), count(*) FILTER (WHERE NOT seeder),
               coalesce((SELECT count FROM completed WHERE info_hash = @hash), 0)
        FROM peers WHERE info_hash = @hash AND expires_at > @now
        """;

    private const string SampleSql = """
        SELECT ip, port FROM peers
        WHERE info_hash = @hash AND expires_at > @now AND (ip, port) <> (@ip, @port)
          AND NOT (@seeder AND seeder) AND family(ip) = ANY(@families)
        ORDER BY random() LIMIT @limit
        """;

    private const string ScrapeSql = """
        SELECT count(p.seeder) FILTER (WHERE p.seeder), count(p.seeder) FILTER (WHERE NOT p.seeder), coalesce(min(c.count), 0)
        FROM unnest(@hashes) WITH ORDINALITY AS asked (info_hash, position)
        LEFT JOIN peers p ON p.info_hash = asked.info_hash AND p.expires_at > @now
        LEFT JOIN completed c ON c.info_hash = asked.info_hash
        GROUP BY asked.position
        ORDER BY asked.position
        """;

    private static readonly int[] IPv4Only = [4];
    private static readonly int[] IPv6Only = [6];
    private static readonly int[] BothFamilies = [4, 6];

    public async ValueTask<AnnounceAnswer> AnnounceAsync(PeerAnnouncement announcement, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        byte[] hash = announcement.InfoHash.ToArray();
        IPAddress ip = announcement.Peer.ToEndPoint().Address;
        int port = announcement.Peer.Port;

        await using NpgsqlBatch batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(RecordSql)
        {
            Parameters =
            {
                new NpgsqlParameter<byte[]>("hash", hash),
                new NpgsqlParameter<IPAddress>("ip", ip),
                new NpgsqlParameter<int>("port", port),
                new NpgsqlParameter<bool>("seeder", announcement.IsSeeder),
                new NpgsqlParameter<DateTimeOffset>("expires", now + peerTimeout),
                new NpgsqlParameter<bool>("stopped", announcement.Event == AnnounceEvent.Stopped),
                new NpgsqlParameter<bool>("completed", announcement.Event == AnnounceEvent.Completed),
                new NpgsqlParameter<bool>("full", census.IsFull),
                new NpgsqlParameter<DateTimeOffset>("now", now),
                new NpgsqlParameter<int>("perSwarm", caps.PerSwarm),
                new NpgsqlParameter<int>("perAddress", caps.PerAddress),
                new NpgsqlParameter<bool>("asPublic", announcement.AsPublic),
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CountsSql)
        {
            Parameters =
            {
                new NpgsqlParameter<byte[]>("hash", hash),
                new NpgsqlParameter<DateTimeOffset>("now", now),
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(SampleSql)
        {
            Parameters =
            {
                new NpgsqlParameter<byte[]>("hash", hash),
                new NpgsqlParameter<DateTimeOffset>("now", now),
                new NpgsqlParameter<IPAddress>("ip", ip),
                new NpgsqlParameter<int>("port", port),
                new NpgsqlParameter<bool>("seeder", announcement.IsSeeder),
                new NpgsqlParameter<int[]>("families", Families(announcement.Families)),
                new NpgsqlParameter<int>("limit", Math.Max(announcement.NumWant, 0)),
            },
        });

        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!reader.IsDBNull(0))
        {
            return reader.GetInt32(0) switch
            {
                1 => AnnounceAnswer.Refused(caps.TrackerFull),
                2 => AnnounceAnswer.Refused(caps.SwarmFull),
                3 => AnnounceAnswer.Refused(caps.AddressFull),
                _ => AnnounceAnswer.Refused(GroupSwarms.NotMember) with { GroupClaimed = true },
            };
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var counts = new SwarmCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetInt64(2));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var peers = new List<PeerAddress>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            peers.Add(new PeerAddress(reader.GetFieldValue<IPAddress>(0), reader.GetInt32(1)));
        }

        (byte[] peers4, byte[] peers6) = Compact(peers);
        return new AnnounceAnswer(counts, peers4, peers6);
    }

    public async ValueTask<IReadOnlyList<SwarmCounts>> ScrapeAsync(IReadOnlyList<InfoHashKey> infoHashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        await using NpgsqlCommand scrape = dataSource.CreateCommand(ScrapeSql);
        scrape.Parameters.Add(new NpgsqlParameter<byte[][]>("hashes", [.. infoHashes.Select(hash => hash.ToArray())]) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        scrape.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", time.GetUtcNow()));
        var counts = new List<SwarmCounts>(infoHashes.Count);
        await using NpgsqlDataReader reader = await scrape.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new SwarmCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetInt64(2)));
        }

        return counts;
    }

    private static int[] Families(PeerFamilies families) => families switch
    {
        PeerFamilies.IPv4 => IPv4Only,
        PeerFamilies.IPv6 => IPv6Only,
        _ => BothFamilies,
    };

    private static (byte[] Peers4, byte[] Peers6) Compact(List<PeerAddress> peers)
    {
        int count4 = peers.Count(peer => peer.IsIPv4);
        byte[] peers4 = new byte[count4 * CompactInfo.IPv4PeerLength];
        byte[] peers6 = new byte[(peers.Count - count4) * CompactInfo.IPv6PeerLength];
        int at4 = 0, at6 = 0;
        foreach (PeerAddress peer in peers)
        {
            if (peer.IsIPv4)
            {
                at4 += peer.WriteCompact(peers4.AsSpan(at4));
            }
            else
            {
                at6 += peer.WriteCompact(peers6.AsSpan(at6));
            }
        }

        return (peers4, peers6);
    }
}
