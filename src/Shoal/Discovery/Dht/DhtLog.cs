using Microsoft.Extensions.Logging;

namespace Shoal.Discovery.Dht;

/// <summary>The DHT's log messages.</summary>
internal static partial class DhtLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "dht: bootstrap node {Host} resolved to {Count} address(es)")]
    public static partial void Resolved(ILogger logger, string host, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dht: cannot resolve the bootstrap node {Host} ({Reason}); trying again later while the DHT knows no node")]
    public static partial void CannotResolve(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "dht: our external address is {Address}, so our node id is now {Id} (BEP 42)")]
    public static partial void IdChanged(ILogger logger, System.Net.IPAddress? address, NodeId id);
}
