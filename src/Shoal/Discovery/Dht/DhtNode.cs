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

    /// <summary>Nodes peers told us of (BEP 5 PORT) that we ping each second at most: a swarm cannot make us flood.</summary>
    private const int ContactsPerTick = 16;

    private readonly IDatagramSender _sender;
    private readonly TimeProvider _time;
    private readonly DhtNodeOptions _options;
    private readonly Random _random;
    private readonly TransactionTable _transactions;
    private readonly PeerStore _store;
    private readonly QueryRateLimiter _rateLimiter;
    private readonly TokenSecrets _tokens;
    private readonly DhtAddressVotes _votes;
    private readonly HashSet<IPEndPoint> _bootstrapAnswered = [];
    private QueryResponder _responder;
    private IPAddress? _givenAddress;
    private int _contactBudget = ContactsPerTick;
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
        _tokens = new TokenSecrets(time);
        _votes = new DhtAddressVotes(_options.ExternalAddressQuorum, _options.MaxExternalAddressVoters);
        _responder = new QueryResponder(id, Table, _tokens, _store, _options);
        _nextSweep = time.GetUtcNow() + ExpirySweepEvery;
    }

    /// <summary>Our node id; it changes when our external address becomes known and the id does not conform to it (BEP 42).</summary>
    public NodeId Id { get; private set; }

    public RoutingTable Table { get; private set; }

    /// <summary>Our external address: as most nodes that answer us report it (BEP 42), else as <see cref="UseExternalAddress"/> gave it.</summary>
    public IPAddress? ExternalAddress => _votes.Leader ?? _givenAddress;

    /// <summary>Raised when <see cref="Id"/> changes, with the new id.</summary>
    public event Action<NodeId>? IdChanged;

    /// <summary>Raised when the address most answering nodes report for us changes (BEP 42), for whoever else wants to know it.</summary>
    public event Action<IPAddress>? ExternalAddressVoted;

    public DhtState State => new(Id, Table.Count, _store.Count, _store.InfoHashCount, _transactions.Count)
    {
        GoodNodes = Table.CountIn(NodeState.Good),
        ExternalAddress = ExternalAddress,
        ExternalAddressVoters = _votes.Voters,
        IdConforms = ExternalAddress is { } external ? NodeIdRestriction.Conforms(Id, external) : null,
        BootstrapAnswered = [.. _bootstrapAnswered],
    };

    /// <summary>Contacts the given endpoints (bootstrap nodes or a saved table); those that answer join the table.</summary>
    public void Bootstrap(IEnumerable<IPEndPoint> endPoints)
    {
        _bootstrap = [.. endPoints.Select(IPv4Mapping.Unmap).Distinct()];
        _bootstrapBackoff = FirstBootstrapRetry;
        SendBootstrap();
    }

    /// <summary>More bootstrap endpoints (host names resolved late); contacted at once while we have no live node.</summary>
    public void AddBootstrap(IEnumerable<IPEndPoint> endPoints)
    {
        IPEndPoint[] added = [.. endPoints.Select(IPv4Mapping.Unmap).Except(_bootstrap)];
        _bootstrap = [.. _bootstrap, .. added];
        if (added.Length > 0 && Table.CountIn(NodeState.Good) == 0)
        {
            _bootstrapBackoff = FirstBootstrapRetry;
            SendBootstrap();
        }
    }

    /// <summary>
    /// Pings a node a peer told us of (BEP 5's PORT message: the peer's address with its DHT port), so that it joins the
    /// table if it answers; beyond <see cref="ContactsPerTick"/> a second, and for nodes already known, nothing is sent.
    /// </summary>
    public void Contact(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        endPoint = IPv4Mapping.Unmap(endPoint);
        if (_contactBudget == 0 || Table.Nodes.Any(n => n.EndPoint.Equals(endPoint)))
        {
            return;
        }

        _contactBudget--;
        SendQuery(KrpcQueryKind.Ping, Id, endPoint, null, null);
    }

    /// <summary>
    /// Takes the id a previous run saved, so that other nodes' tables still know us (libtorrent keeps its id too), unless
    /// it does not conform to the external address we know by now (BEP 42).
    /// </summary>
    public void UseSavedId(NodeId id)
    {
        if (id != Id && (ExternalAddress is not { } external || NodeIdRestriction.Conforms(id, external)))
        {
            ChangeId(id);
        }
    }

    /// <summary>
    /// Our external address as something outside the DHT knows it (a port mapping's answer from the router). Nodes'
    /// reports win once they agree: behind a carrier's NAT the router's address is not the one the DHT sees.
    /// </summary>
    public void UseExternalAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _givenAddress = IPv4Mapping.Unmap(address);
        ConformToExternalAddress();
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
        _contactBudget = ContactsPerTick;
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
        else if (_nextBootstrap == DateTimeOffset.MaxValue && _bootstrap.Length > 0 && Table.CountIn(NodeState.Good) == 0 && Table.CountIn(NodeState.Questionable) == 0)
        {
            // Every node we knew went bad (the network was down, or the machine slept): join again, backing off as at the start.
            _bootstrapBackoff = FirstBootstrapRetry;
            _nextBootstrap = now + _bootstrapBackoff;
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

        if (message is not KrpcResponse response)
        {
            // An error proves the node alive: it counts against the query, not against the node in the table.
            FailInLookup(pending);
            return;
        }

        var sender = new NodeInfo(response.Sender, from);
        if (pending.ExpectedId is { } expected && expected != response.Sender)
        {
            // The node took another id since we learnt of it (BEP 42 moves a node's id once it learns its external
            // address, which new nodes do in their first minute). The transaction id and the address prove this is
            // the node we asked, so its answer counts, as libtorrent counts it; its old id counts a failure in the
            // table, as an unanswered query would, so it turns bad. Refusing the answer left a lookup among freshly
            // started nodes with no one to announce to.
            Table.Failed(expected, from);
            pending.Lookup?.Renamed(new NodeInfo(expected, from), sender);
        }

        if (Table.Heard(sender, responded: true) is { } questionable)
        {
            SendQuery(KrpcQueryKind.Ping, questionable.Id, questionable, null);
        }

        if (response.Requester is { } requester)
        {
            // Only an answer to our own query votes: a forged packet would need a transaction id we gave out.
            IPAddress? before = _votes.Leader;
            _votes.Add(from.Address, requester.Address);
            if (_votes.Leader is { } leader && !leader.Equals(before))
            {
                ExternalAddressVoted?.Invoke(leader);
            }

            ConformToExternalAddress();
        }

        // Queries to bootstrap nodes are find_node without an expected id (a contact from a PORT message is a ping).
        if (pending.ExpectedId is null && pending.Kind == KrpcQueryKind.FindNode)
        {
            if (_bootstrapAnswered.Count < _bootstrap.Length && _bootstrap.Contains(from))
            {
                _bootstrapAnswered.Add(from);
            }

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

    /// <summary>BEP 42: once our external address is known, an id that does not conform to it gives way to one that does.</summary>
    private void ConformToExternalAddress()
    {
        if (ExternalAddress is { } external && !NodeIdRestriction.Conforms(Id, external))
        {
            ChangeId(NodeIdRestriction.Generate(external, _random));
        }
    }

    /// <summary>The table is rebuilt around the new id from the live nodes of the old one; a lookup of the new id fills its near buckets.</summary>
    private void ChangeId(NodeId id)
    {
        RoutingTable old = Table;
        Id = id;
        Table = new RoutingTable(id, _time);
        foreach (NodeInfo node in old.Closest(id, RoutingTable.Capacity))
        {
            Table.Heard(node, responded: true);
        }

        _responder = new QueryResponder(id, Table, _tokens, _store, _options);
        _selfLookup = Table.Count > 0 ? FindNode(id) : null;
        IdChanged?.Invoke(id);
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
