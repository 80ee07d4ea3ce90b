using System.Net;
using Shoal.Swarm;

namespace Shoal.Cli;

/// <summary>Every peer connection seen during a transfer, with its transport and whether it was encrypted, for the line after it.</summary>
public sealed class ConnectionTally
{
    private readonly SortedDictionary<string, string> _seen = new(StringComparer.Ordinal);

    /// <summary>How one connection is carried: "TCP", "uTP", "TCP, encrypted", "uTP, encrypted".</summary>
    public static string Describe(PeerSnapshot peer) =>
        (peer.Transport == PeerTransport.Utp ? "uTP" : "TCP") + (peer.IsEncrypted ? ", encrypted" : "");

    public void Add(SwarmStatus swarm)
    {
        foreach (PeerSnapshot peer in swarm.Peers.Where(p => p.WebSeed is null))
        {
            _seen[new IPEndPoint(peer.Address, peer.Port).ToString()] = Describe(peer);
        }
    }

    /// <summary>"connections: 127.0.0.1:6881 over uTP, encrypted; …", or null when there was none.</summary>
    public string? Line() => _seen.Count == 0 ? null : "connections: " + string.Join("; ", _seen.Select(pair => $"{pair.Key} over {pair.Value}"));
}
