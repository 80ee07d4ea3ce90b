using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>
/// The BEP 5 routing table. Bucket i holds nodes whose id shares exactly i leading bits with ours, except the
/// last bucket, which holds every closer node; only that bucket (the one containing our own id) splits.
/// </summary>
public sealed class RoutingTable
{
    private readonly List<KBucket> _buckets;
    private readonly TimeProvider _time;

    public RoutingTable(NodeId self, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Self = self;
        _time = time;
        _buckets = [new KBucket(time.GetUtcNow())];
    }

    public NodeId Self { get; }

    public int BucketCount => _buckets.Count;

    public int Count => _buckets.Sum(b => b.Nodes.Count);

    /// <summary>The most nodes a table can hold: one full bucket per bit of the id.</summary>
    public static int Capacity => NodeId.Bits * KBucket.K;

    public IEnumerable<NodeInfo> Nodes => _buckets.SelectMany(b => b.Nodes).Select(e => e.Node);

    public int BucketIndexOf(NodeId id) => Math.Min(Self.CommonPrefixLength(id), _buckets.Count - 1);

    public NodeState? StateOf(NodeId id) => Bucket(id).Find(id)?.StateAt(_time.GetUtcNow());

    /// <summary>How many nodes of the table are in <paramref name="state"/> now.</summary>
    public int CountIn(NodeState state)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return _buckets.Sum(b => b.Nodes.Count(e => e.StateAt(now) == state));
    }

    /// <summary>
    /// Records that a node was heard from: <paramref name="responded"/> when it answered our query. Returns a
    /// node to ping: a questionable one when the node could not be placed because its bucket is full of live
    /// nodes, or the node itself when it only queried us and has a place. BEP 5: a good node has responded
    /// to one of our queries; one that only queried us joins the table once it answers our ping, so a sender
    /// of forged queries never fills a bucket or reaches another node's answers.
    /// </summary>
    public NodeInfo? Heard(NodeInfo node, bool responded)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Id == Self)
        {
            return null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        while (true)
        {
            KBucket bucket = Bucket(node.Id);
            if (bucket.Find(node.Id) is { } known)
            {
                // An id that moved to another endpoint is ignored rather than trusted: it may be spoofed.
                if (known.Node.EndPoint.Equals(node.EndPoint) && (responded || known.EverResponded))
                {
                    known.LastSeen = now;
                    known.EverResponded = true;
                    known.Failures = responded ? 0 : known.Failures;
                    bucket.LastChanged = now;
                }

                return null;
            }

            bool splittable = bucket == _buckets[^1] && _buckets.Count < NodeId.Bits;
            if (!responded)
            {
                return bucket.Nodes.Count < KBucket.K || splittable ? node : null;
            }

            var entry = new RoutingEntry(node, now) { EverResponded = true };
            if (bucket.Nodes.Count < KBucket.K)
            {
                bucket.Nodes.Add(entry);
                bucket.LastChanged = now;
                return null;
            }

            if (splittable)
            {
                Split();
                continue;
            }

            // BEP 42, not enforced but preferred (as libtorrent does by default): an id that conforms to its address
            // takes the place of one that does not. Enforcing would shut out the many nodes that still pick ids freely.
            RoutingEntry? displaced = bucket.Nodes.Find(e => e.StateAt(now) == NodeState.Bad)
                ?? (entry.Conforms ? bucket.Nodes.Find(e => !e.Conforms) : null);
            if (displaced is not null)
            {
                bucket.Nodes[bucket.Nodes.IndexOf(displaced)] = entry;
                bucket.LastChanged = now;
                return null;
            }

            bucket.AddReplacement(entry);
            return bucket.Nodes.Where(e => e.StateAt(now) == NodeState.Questionable).MinBy(e => e.LastSeen)?.Node;
        }
    }

    /// <summary>Records a query to the node that went unanswered; a node that turns bad gives way to a replacement.</summary>
    public void Failed(NodeId id, IPEndPoint endPoint)
    {
        KBucket bucket = Bucket(id);
        if (bucket.Find(id) is not { } entry || !entry.Node.EndPoint.Equals(endPoint))
        {
            return;
        }

        entry.Failures++;
        if (entry.StateAt(_time.GetUtcNow()) == NodeState.Bad)
        {
            bucket.ReplaceBad(entry);
        }
    }

    /// <summary>The <paramref name="count"/> non-bad nodes closest to <paramref name="target"/>, closest first.</summary>
    public List<NodeInfo> Closest(NodeId target, int count)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return _buckets.SelectMany(b => b.Nodes)
            .Where(e => e.StateAt(now) != NodeState.Bad)
            .Select(e => e.Node)
            .OrderBy(n => n.Id.Xor(target))
            .Take(count)
            .ToList();
    }

    /// <summary>BEP 5: a random id in the range of each bucket unchanged for 15 minutes, to look up; marks them refreshed.</summary>
    public List<NodeId> TakeRefreshTargets(Random random)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var targets = new List<NodeId>();
        for (int i = 0; i < _buckets.Count; i++)
        {
            if (now - _buckets[i].LastChanged >= RoutingEntry.GoodFor)
            {
                _buckets[i].LastChanged = now;
                targets.Add(Self.RandomWithPrefix(i, random));
            }
        }

        return targets;
    }

    private KBucket Bucket(NodeId id) => _buckets[BucketIndexOf(id)];

    private void Split()
    {
        KBucket old = _buckets[^1];
        int depth = _buckets.Count - 1;
        var closer = new KBucket(old.LastChanged);
        _buckets.Add(closer);
        Move(old.Nodes, closer.Nodes, depth);
        Move(old.Replacements, closer.Replacements, depth);
    }

    private void Move(List<RoutingEntry> from, List<RoutingEntry> to, int depth)
    {
        to.AddRange(from.Where(e => Self.CommonPrefixLength(e.Node.Id) > depth));
        from.RemoveAll(e => Self.CommonPrefixLength(e.Node.Id) > depth);
    }
}
