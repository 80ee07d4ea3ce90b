namespace Shoal.Discovery.Trackers;

/// <summary>The first 16 bytes of every UDP tracker request (BEP 15), read before the rest of the packet.</summary>
/// <param name="Action">What the request asks: connect, announce or scrape.</param>
/// <param name="ConnectionId">The id a connect gave the client; in a connect itself, the protocol id.</param>
/// <param name="TransactionId">What the answer must carry back, an error included.</param>
public readonly record struct UdpRequestHeader(UdpTrackerAction Action, long ConnectionId, int TransactionId);
