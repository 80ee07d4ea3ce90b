using System.Net;
using Shoal.Metainfo;
using Shoal.Net.Streams;
using Shoal.Wire;

namespace Shoal.Net;

/// <summary>
/// Opens connections to the peers of one info-hash: a stream from the <see cref="PeerConnector"/>, then the BEP 3
/// handshakes both ways, all within <see cref="Timeout"/>. An answer for another info-hash is a <see cref="PeerProtocolException"/>, but for
/// <paramref name="upgrade"/>: BEP 52 lets a peer answer a hybrid's v1 handshake with its truncated v2 hash.
/// </summary>
internal sealed class PeerDialer(PeerConnector connector, Handshake ours, InfoHash? upgrade = null)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The handshake we send.</summary>
    public Handshake Ours => ours;

    /// <summary>The connected stream and the peer's handshake; on failure the stream is closed and the exception thrown.</summary>
    public async Task<(IPeerStream Stream, Handshake Remote)> DialAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        IPeerStream stream = await connector.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
        try
        {
            await PeerHandshaker.WriteAsync(stream, Ours, timeout.Token).ConfigureAwait(false);
            Handshake remote = await PeerHandshaker.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (!remote.InfoHash.Equals(Ours.InfoHash) && !remote.InfoHash.Equals(upgrade))
            {
                throw new PeerProtocolException("the peer answered for another torrent");
            }

            return (stream, remote);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
