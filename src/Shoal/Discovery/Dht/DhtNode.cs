using System.Net;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>
/// A sans-I/O BEP 5 DHT node. Feed it received datagrams with <see cref="Receive"/> and call <see cref="Tick"/>
/// about once a second; it sends through an <see cref="IDatagramSender"/> and reads time from a
/// <see cref="TimeProvider"/>. Not thread-safe: the caller serializes every call.
/// </summary>
public sealed class DhtNode
{
    private static readonly TimeSpan FirstBootstrapRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExpirySweepEvery = TimeSpan.FromMinutes(1);

    private readonly IDatagramSender _sender;
    private readonly TimeProvider _time;
    private readonly DhtNodeOptions _options;
    private readonly Random _random;
    private readonly TransactionTable _transactions;
    private readonly PeerStore _store;
    private readonly QueryRateLimiter _rateLimiter;
    private readonly QueryResponder _responder;
    private IPEndPoint[] _bootstrap = [];
    private TimeSpan _bootstrapBackoff = FirstBootstrapRetry;
    private DateTimeOffset _nextBootstrap = DateTimeOffset.MaxValue;
    private DateTimeOffset _nextSweep;
    private DhtLookup? _selfLookup;

    public DhtNode(NodeId id, IDatagramSender sender, TimeProvider time, DhtNodeOptions? options = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(time);
        Id = id;
        _sender = sender;
        _time = time;
        _options = options ?? new DhtNodeOptions();
        _random = random ?? new Random();
        Table = new RoutingTable(id, time);
        _transactions = new TransactionTable(_options.MaxPendingQueries, _random);
        _store = new PeerStore(_options.MaxInfoHashes, _options.MaxPeersPerInfoHash, _options.MaxStoredPeers);
        _rateLimiter = new QueryRateLimiter(_options.QueriesPerSecondPerAddress, _options.MaxRateLimitedAddresses);
        _responder = new QueryResponder(id, Table, new TokenSecrets(time), _store, _options);
        _nextSweep = time.GetUtcNow() + ExpirySweepEvery;
    }

    public NodeId Id { get; }

    public RoutingTable Table { get; }

    public DhtState State => new(Id, Table.Count, _store.Count, _store.InfoHashCount, _transactions.Count);

    /// <summary>Contacts the given endpoints (bootstrap nodes or a saved table); those that answer join the table.</summary>
    public void Bootstrap(IEnumerable<IPEndPoint> endPoints)
    {
        _bootstrap = [.. endPoints.Select(IPv4Mapping.Unmap).Distinct()];
        _bootstrapBackoff = FirstBootstrapRetry;
        SendBootstrap();
    }

    public DhtLookup FindNode(NodeId target) => StartLookup(target, KrpcQueryKind.FindNode, null);

    public DhtLookup GetPeers(NodeId infoHash) => StartLookup(infoHash, KrpcQueryKind.GetPeers, null);

    /// <summary>A get_peers lookup that ends by announcing <paramref name="port"/> to the closest nodes (BEP 5).</summary>
    public DhtLookup Announce(NodeId infoHash, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
        return StartLookup(infoHash, KrpcQueryKind.GetPeers, port);
    }

    /// <summary>Handles one received datagram. Malformed or unexpected packets are dropped; nothing throws.</summary>
    public void Receive(ReadOnlyMemory<byte> datagram, IPEndPoint from)
    {
        ArgumentNullException.ThrowIfNull(from);
        from = IPv4Mapping.Unmap(from);
        KrpcMessage message;
        try
        {
            message = KrpcDecoder.Decode(datagram);
        }
        catch (KrpcException)
        {
            return;
        }

        switch (message)
        {
            case KrpcQuery query:
                OnQuery(query, from);
                break;
            default:
                OnReply(message, from);
                break;
        }
    }

    /// <summary>Time-based work: query timeouts, bootstrap retries, bucket refresh and expiry of stored peers.</summary>
    public void Tick()
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (PendingQuery expired in _transactions.RemoveExpired(now))
        {
            if (expired.ExpectedId is { } id)
            {
                Table.Failed(id, expired.To);
            }

            FailInLookup(expired);
        }

        if (now >= _nextBootstrap)
        {
            SendBootstrap();
        }

        if (Table.Count > 0)
        {
            foreach (NodeId target in Table.TakeRefreshTargets(_random))
            {
                FindNode(target);
            }
        }

        if (now >= _nextSweep)
        {
            _nextSweep = now + ExpirySweepEvery;
            _store.RemoveExpired(now);
        }
    }

    private void OnQuery(KrpcQuery query, IPEndPoint from)
    {
        // BEP 43: a read-only node answers nothing.
        if (_options.ReadOnly)
        {
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (!_rateLimiter.Allow(from.Address, now))
        {
            return;
        }

        if (!query.ReadOnly && Table.Heard(new NodeInfo(query.Sender, from), responded: false) is { } toPing)
        {
            SendQuery(KrpcQueryKind.Ping, toPing.Id, toPing, null);
        }

        _sender.Send(KrpcEncoder.Encode(_responder.Answer(query, from, now)), from);
    }

    private void OnReply(KrpcMessage message, IPEndPoint from)
    {
        if (_transactions.Take(message.TransactionId.Span, from) is not { } pending)
        {
            return;
        }

        if (message is not KrpcResponse response || (pending.ExpectedId is { } expected && expected != response.Sender))
        {
            // An error proves the node alive, so only a reply from the wrong id counts against it in the table.
            if (message is KrpcResponse && pending.ExpectedId is { } id)
            {
                Table.Failed(id, from);
            }

            FailInLookup(pending);
            return;
        }

        var sender = new NodeInfo(response.Sender, from);
        if (Table.Heard(sender, responded: true) is { } questionable)
        {
            SendQuery(KrpcQueryKind.Ping, questionable.Id, questionable, null);
        }

        if (pending.ExpectedId is null && _bootstrap.Length > 0)
        {
            // A bootstrap node answered: stop retrying and walk towards our own id to fill the table (BEP 5).
            _nextBootstrap = DateTimeOffset.MaxValue;
            if (_selfLookup is null || _selfLookup.IsComplete)
            {
                _selfLookup = FindNode(Id);
            }
        }

        if (pending.Lookup is { } lookup)
        {
            lookup.Answered(sender, response);
            Advance(lookup);
        }
    }

    private DhtLookup StartLookup(NodeId target, KrpcQueryKind kind, int? announcePort)
    {
        DateTimeOffset now = _time.GetUtcNow();
        IEnumerable<IPEndPoint> known = kind == KrpcQueryKind.GetPeers ? _store.Get(target, _options.MaxValuesPerResponse, now) : [];
        var lookup = new DhtLookup(target, kind, announcePort, Table.Closest(target, KBucket.K), known);
        Advance(lookup);
        return lookup;
    }

    private void Advance(DhtLookup lookup)
    {
        if (lookup.IsComplete)
        {
            return;
        }

        foreach (NodeInfo node in lookup.NextQueries(_options.Alpha))
        {
            if (!SendQuery(lookup.Kind, lookup.Target, node, lookup))
            {
                lookup.Failed(node);
            }
        }

        if (!lookup.IsFinished)
        {
            return;
        }

        if (lookup.AnnouncePort is { } port)
        {
            foreach (var (node, token) in lookup.ClosestWithTokens())
            {
                SendQuery(KrpcQueryKind.AnnouncePeer, lookup.Target, node, null, token, port);
            }
        }

        lookup.Complete();
    }

    private void FailInLookup(PendingQuery pending)
    {
        if (pending.Lookup is { } lookup && pending.ExpectedId is { } id)
        {
            lookup.Failed(new NodeInfo(id, pending.To));
            Advance(lookup);
        }
    }

    private void SendBootstrap()
    {
        foreach (IPEndPoint endPoint in _bootstrap)
        {
            SendQuery(KrpcQueryKind.FindNode, Id, endPoint, null, null);
        }

        // BEP 5 leaves retries open; back off exponentially while nothing answers.
        _nextBootstrap = _bootstrap.Length > 0 ? _time.GetUtcNow() + _bootstrapBackoff : DateTimeOffset.MaxValue;
        _bootstrapBackoff = TimeSpan.FromTicks(Math.Min(_bootstrapBackoff.Ticks * 2, _options.MaxBootstrapBackoff.Ticks));
    }

    private bool SendQuery(KrpcQueryKind kind, NodeId target, NodeInfo node, DhtLookup? lookup, byte[]? token = null, int port = 0) =>
        SendQuery(kind, target, node.EndPoint, node.Id, lookup, token, port);

    private bool SendQuery(KrpcQueryKind kind, NodeId target, IPEndPoint to, NodeId? expectedId, DhtLookup? lookup, byte[]? token = null, int port = 0)
    {
        DateTimeOffset deadline = _time.GetUtcNow() + _options.QueryTimeout;
        if (_transactions.Add(new PendingQuery(to, expectedId, kind, deadline, lookup)) is not { } transactionId)
        {
            return false;
        }

        var query = new KrpcQuery
        {
            TransactionId = transactionId,
            Kind = kind,
            Sender = Id,
            Target = target,
            Token = token,
            Port = port,
            ReadOnly = _options.ReadOnly,
            Version = _options.Version,
        };
        _sender.Send(KrpcEncoder.Encode(query), to);
        return true;
    }
}
