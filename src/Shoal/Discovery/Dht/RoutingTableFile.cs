using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>
/// Saves the routing table's nodes as text lines "hex-id address port" so the next start can bootstrap from them, after
/// a line "self hex-id" with our own id (which readers of the node lines skip, as any line of another shape).
/// </summary>
public static class RoutingTableFile
{
    private const string SelfPrefix = "self ";

    public static async Task SaveAsync(string path, IEnumerable<NodeInfo> nodes, NodeId? self = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        string temporary = path + ".tmp";
        IEnumerable<string> selfLine = self is { } id ? [SelfPrefix + id] : [];
        await File.WriteAllLinesAsync(
            temporary,
            selfLine.Concat(nodes.Select(n => FormattableString.Invariant($"{n.Id} {n.EndPoint.Address} {n.EndPoint.Port}"))),
            cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Our id as the file's "self" line gives it; null without a file or such a line.</summary>
    public static async Task<NodeId?> LoadSelfAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(path);
        string? first = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        string? hex = first is not null && first.StartsWith(SelfPrefix, StringComparison.Ordinal) ? first[SelfPrefix.Length..] : null;
        return hex is { Length: NodeId.Size * 2 } && hex.All(char.IsAsciiHexDigit) ? NodeId.Parse(hex) : null;
    }

    /// <summary>The nodes in the file; a missing file or a malformed line yields nothing for it.</summary>
    public static async Task<List<NodeInfo>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var nodes = new List<NodeInfo>();
        if (!File.Exists(path))
        {
            return nodes;
        }

        foreach (string line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (TryParseLine(line, out NodeInfo? node))
            {
                nodes.Add(node);
            }
        }

        return nodes;
    }

    /// <summary>One line as <see cref="SaveAsync"/> writes it; false for anything else.</summary>
    internal static bool TryParseLine(string line, [NotNullWhen(true)] out NodeInfo? node)
    {
        string[] parts = line.Split(' ');
        node = parts.Length == 3 && parts[0].Length == NodeId.Size * 2 && parts[0].All(char.IsAsciiHexDigit)
            && IPAddress.TryParse(parts[1], out IPAddress? address)
            && ushort.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) && port > 0
            ? new NodeInfo(NodeId.Parse(parts[0]), new IPEndPoint(address, port))
            : null;
        return node is not null;
    }
}
