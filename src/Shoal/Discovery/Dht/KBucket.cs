namespace Shoal.Discovery.Dht;

/// <summary>One k-bucket (BEP 5): at most k live nodes and a small cache of replacements for bad ones.</summary>
internal sealed class KBucket(DateTimeOffset now)
{
    public const int K = 8;

    public List<RoutingEntry> Nodes { get; } = new(K);

    public List<RoutingEntry> Replacements { get; } = new(K);

    /// <summary>When a node in this bucket last responded or joined; BEP 5 refreshes buckets idle for 15 minutes.</summary>
    public DateTimeOffset LastChanged { get; set; } = now;

    public RoutingEntry? Find(NodeId id) => Nodes.Find(e => e.Node.Id == id);

    public void AddReplacement(RoutingEntry entry)
    {
        Replacements.RemoveAll(e => e.Node.Id == entry.Node.Id);
        if (Replacements.Count == K)
        {
            Replacements.RemoveAt(0);
        }

        Replacements.Add(entry);
    }

    /// <summary>Swaps a bad node for the most recently seen replacement, if there is one.</summary>
    public bool ReplaceBad(RoutingEntry bad)
    {
        if (Replacements.Count == 0)
        {
            return false;
        }

        RoutingEntry replacement = Replacements[^1];
        Replacements.RemoveAt(Replacements.Count - 1);
        Nodes[Nodes.IndexOf(bad)] = replacement;
        return true;
    }
}
