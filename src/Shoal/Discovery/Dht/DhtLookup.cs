using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>
/// One iterative Kademlia lookup (BEP 5 find_node or get_peers): query the α closest unqueried candidates,
/// learn closer nodes from the answers, and stop once the k closest live candidates have all answered.
/// </summary>
public sealed class DhtLookup
{
    private const int MaxCandidates = 64;

    private readonly List<Candidate> _candidates = [];
    private readonly HashSet<NodeId> _seen = [];
    private readonly HashSet<IPEndPoint> _peers = [];
    private readonly TaskCompletionSource<DhtLookupResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal DhtLookup(NodeId target, KrpcQueryKind kind, int? announcePort, IEnumerable<NodeInfo> seeds, IEnumerable<IPEndPoint> knownPeers)
    {
        Target = target;
        Kind = kind;
        AnnouncePort = announcePort;
        _peers.UnionWith(knownPeers);
        AddCandidates(seeds);
    }

    public NodeId Target { get; }

    public int QueriesSent { get; private set; }

    public bool IsComplete => _completion.Task.IsCompleted;

    public Task<DhtLookupResult> Completion => _completion.Task;

    internal KrpcQueryKind Kind { get; }

    /// <summary>Set for an announce: once the lookup ends, announce_peer goes to the closest nodes that gave tokens.</summary>
    internal int? AnnouncePort { get; }

    /// <summary>The next nodes to query, keeping at most <paramref name="alpha"/> in flight; empty when none are due.</summary>
    internal List<NodeInfo> NextQueries(int alpha)
    {
        var next = new List<NodeInfo>();
        int inFlight = _candidates.Count(c => c.Status == CandidateStatus.InFlight);
        foreach (Candidate candidate in Window())
        {
            if (inFlight >= alpha)
            {
                break;
            }

            if (candidate.Status == CandidateStatus.Fresh)
            {
                candidate.Status = CandidateStatus.InFlight;
                next.Add(candidate.Node);
                inFlight++;
                QueriesSent++;
            }
        }

        return next;
    }

    /// <summary>True when no query is in flight and the k closest live candidates have all answered.</summary>
    internal bool IsFinished => Window().All(c => c.Status == CandidateStatus.Answered);

    internal void Answered(NodeInfo node, KrpcResponse response)
    {
        if (Find(node) is not { } candidate)
        {
            return;
        }

        candidate.Status = CandidateStatus.Answered;
        candidate.Token = response.Token.IsEmpty ? null : response.Token.ToArray();
        _peers.UnionWith(response.Values);
        AddCandidates(response.Nodes);
    }

    /// <summary>
    /// A candidate answered under another id: it is known by the new one from now on. When another answer already
    /// named the node by its new id it is a candidate twice; the old one leaves, or it would wait for an answer forever
    /// and the lookup with it.
    /// </summary>
    internal void Renamed(NodeInfo asked, NodeInfo answered)
    {
        if (Find(asked) is not { } candidate)
        {
            return;
        }

        _seen.Add(answered.Id);
        if (Find(answered) is not null)
        {
            _candidates.Remove(candidate);
            return;
        }

        candidate.Node = answered;
        _candidates.Sort((a, b) => Target.CompareDistance(a.Node.Id, b.Node.Id));
    }

    internal void Failed(NodeInfo node)
    {
        if (Find(node) is { } candidate)
        {
            candidate.Status = CandidateStatus.Failed;
        }
    }

    /// <summary>The closest answering nodes with their announce tokens.</summary>
    internal List<(NodeInfo Node, byte[] Token)> ClosestWithTokens() =>
        [.. _candidates.Where(c => c.Status == CandidateStatus.Answered && c.Token is not null).Take(KBucket.K).Select(c => (c.Node, c.Token!))];

    internal void Complete()
    {
        NodeInfo[] closest = [.. _candidates.Where(c => c.Status == CandidateStatus.Answered).Take(KBucket.K).Select(c => c.Node)];
        _completion.TrySetResult(new DhtLookupResult(Target, [.. _peers], closest, QueriesSent));
    }

    private IEnumerable<Candidate> Window() => _candidates.Where(c => c.Status != CandidateStatus.Failed).Take(KBucket.K);

    private Candidate? Find(NodeInfo node) => _candidates.Find(c => c.Node.Id == node.Id && c.Node.EndPoint.Equals(node.EndPoint));

    private void AddCandidates(IEnumerable<NodeInfo> nodes)
    {
        foreach (NodeInfo node in nodes)
        {
            if (_seen.Count < MaxCandidates * 4 && _seen.Add(node.Id))
            {
                _candidates.Add(new Candidate(node));
            }
        }

        _candidates.Sort((a, b) => Target.CompareDistance(a.Node.Id, b.Node.Id));
        if (_candidates.Count > MaxCandidates)
        {
            _candidates.RemoveRange(MaxCandidates, _candidates.Count - MaxCandidates);
        }
    }

    private enum CandidateStatus
    {
        Fresh,
        InFlight,
        Answered,
        Failed,
    }

    private sealed class Candidate(NodeInfo node)
    {
        public NodeInfo Node { get; set; } = node;

        public CandidateStatus Status { get; set; }

        public byte[]? Token { get; set; }
    }
}
