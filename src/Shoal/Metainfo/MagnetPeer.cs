using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Shoal.Metainfo;

/// <summary>
/// BEP 9: a peer named in a magnet link's x.pe parameter, to fetch the metadata from directly.
/// <see cref="Host"/> is a hostname, an IPv4 address or an IPv6 address (without brackets).
/// </summary>
public sealed record MagnetPeer(string Host, int Port)
{
    public string Host { get; } = FindProblem(Host, Port) is { } problem
        ? throw new ArgumentException($"the peer ('{Host}', {Port}) {problem}", nameof(Host))
        : Host;

    public int Port { get; } = Port;

    /// <summary><c>host:port</c>, or <c>[v6]:port</c> for an IPv6 address.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Reads <c>hostname:port</c>, <c>ipv4:port</c> or <c>[ipv6]:port</c>.</summary>
    internal static MagnetPeer Parse(string text)
    {
        bool bracketed = text.StartsWith('[');
        int separator = bracketed ? text.IndexOf("]:", StringComparison.Ordinal) : text.LastIndexOf(':');
        if (separator < 0)
        {
            throw new MagnetLinkException($"x.pe '{text}' needs a port from 1 to 65535");
        }

        string host = bracketed ? text[1..separator] : text[..separator];
        string portText = text[(separator + (bracketed ? 2 : 1))..];
        if (host.Contains(':', StringComparison.Ordinal) != bracketed)
        {
            throw new MagnetLinkException($"x.pe '{text}' must write an IPv6 address, and only an IPv6 address, in brackets");
        }

        int port = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : 0;
        return FindProblem(host, port) is { } problem
            ? throw new MagnetLinkException($"x.pe '{text}' {problem}")
            : new MagnetPeer(host, port);
    }

    private static string? FindProblem(string host, int port)
    {
        if (port is < 1 or > 65535)
        {
            return "needs a port from 1 to 65535";
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return IsIPv6Address(host) ? null : $"has a host '{host}' that is not an IPv6 address";
        }

        return host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
            ? null
            : $"has a host '{host}' that is not a hostname or IPv4 address";
    }

    // Only hex digits, colons and dots: IPAddress.TryParse would also take brackets and scope ids.
    private static bool IsIPv6Address(string host) =>
        host.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
        && IPAddress.TryParse(host, out IPAddress? address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;
}
