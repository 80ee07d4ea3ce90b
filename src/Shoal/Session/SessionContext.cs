using Shoal.Net;

namespace Shoal.Session;

/// <summary>
/// What a session's parts share: its options, our peer id and listening port, the announce key, the
/// session-wide rate buckets and connection slots, and the tracker clients. Parts take this, never the session.
/// </summary>
internal sealed record SessionContext(
    SessionOptions Options,
    ReadOnlyMemory<byte> PeerId,
    int ListenPort,
    string TrackerKey,
    TokenBucket UploadBucket,
    TokenBucket DownloadBucket,
    ConnectionSlots ConnectionSlots,
    TrackerClientFactory TrackerClients)
{
    public bool IsOurPeerId(ReadOnlySpan<byte> peerId) => peerId.SequenceEqual(PeerId.Span);
}
