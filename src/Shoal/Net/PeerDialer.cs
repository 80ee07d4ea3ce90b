using System.Net;
using System.Net.Sockets;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Net;

/// <summary>
/// Opens connections to the peers of one info-hash: TCP connect, then the BEP 3 handshakes both ways, all
/// within <see cref="Timeout"/>. An answer for another info-hash is a <see cref="PeerProtocolException"/>, but for
/// <paramref name="upgrade"/>: BEP 52 lets a peer answer a hybrid's v1 handshake with its truncated v2 hash.
/// </summary>
internal sealed class PeerDialer(Handshake ours, InfoHash? upgrade = null)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The handshake we send.</summary>
    public Handshake Ours => ours;

    /// <summary>The connected socket and the peer's handshake; on failure the socket is closed and the exception thrown.</summary>
    public async Task<(Socket Socket, Handshake Remote)> DialAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            await PeerHandshaker.WriteAsync(socket, Ours, timeout.Token).ConfigureAwait(false);
            Handshake remote = await PeerHandshaker.ReadAsync(socket, timeout.Token).ConfigureAwait(false);
            if (!remote.InfoHash.Equals(Ours.InfoHash) && !remote.InfoHash.Equals(upgrade))
            {
                throw new PeerProtocolException("the peer answered for another torrent");
            }

            return (socket, remote);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
