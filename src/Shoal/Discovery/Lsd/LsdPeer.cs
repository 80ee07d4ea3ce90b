using System.Net;
using Shoal.Metainfo;

namespace Shoal.Discovery.Lsd;

/// <summary>A peer found on the local network: it announced <paramref name="InfoHash"/> and listens at <paramref name="EndPoint"/>.</summary>
public readonly record struct LsdPeer(InfoHash InfoHash, IPEndPoint EndPoint);
