using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>Saves the routing table's nodes as text lines "hex-id address port" so the next start can bootstrap from them.</summary>
public static class RoutingTableFile
{
    public static async Task SaveAsync(string path, IEnumerable<NodeInfo> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        string temporary = path + ".tmp";
        await File.WriteAllLinesAsync(
            temporary,
            nodes.Select(n => FormattableString.Invariant($"{n.Id} {n.EndPoint.Address} {n.EndPoint.Port}")),
            cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
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
