using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>
/// One bootstrap node as given ("router.bittorrent.com:6881"): the addresses it resolved to (none yet, or none when
/// <see cref="Error"/> says why), and whether any of them answered.
/// </summary>
public sealed record DhtBootstrapHost(string Name, IReadOnlyList<IPEndPoint> Addresses, bool Answered, string? Error);
