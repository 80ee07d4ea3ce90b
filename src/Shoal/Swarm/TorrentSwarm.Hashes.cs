using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>
    /// Hashes one peer may be sent per second (1 MiB of them): the piece layers of a torrent of 256 GiB in pieces of
    /// 8 MiB a second, and no more whatever a peer asks. Past it a request is rejected, which BEP 52 allows.
    /// </summary>
    internal const int HashesPerPeerPerSecond = 32 * 1024;

    private Dictionary<ReadOnlyMemory<byte>, FileEntry>? _filesByRoot;
    private readonly Dictionary<FileEntry, MerkleLayers> _trees = new(ReferenceEqualityComparer.Instance);

    /// <summary>BEP 52 hash requests answered with hashes.</summary>
    public long HashRequestsAnswered { get; private set; }

    /// <summary>BEP 52 hash requests answered with a hash reject.</summary>
    public long HashRequestsRejected { get; private set; }

    /// <summary>
    /// BEP 52: answers from the piece layers we hold (each file's tree from its piece layer up), so any layer from the
    /// piece layer to the root; what we cannot answer, or a peer past its share, gets a hash reject. Leaf hashes below
    /// the piece layer would have to be hashed from the data on disk, and are not served.
    /// </summary>
    private void OnHashRequest(SwarmPeer peer, HashRequest request)
    {
        if (peer.HashesSentThisSecond + request.Length <= HashesPerPeerPerSecond && TryGetHashes(request, out byte[] hashes))
        {
            peer.HashesSentThisSecond += request.Length;
            HashRequestsAnswered++;
            PeerMessageWriter.WriteHashes(Output(peer), request, hashes);
            return;
        }

        HashRequestsRejected++;
        PeerMessageWriter.WriteHashRequest(Output(peer), MessageId.HashReject, request);
    }

    private bool TryGetHashes(HashRequest request, out byte[] hashes)
    {
        hashes = [];
        return request.IsWellFormed
            && TreeOf(request.PiecesRoot) is { } tree
            && tree.TryGetHashes(request.BaseLayer, request.Index, request.Length, request.ProofLayers, out hashes);
    }

    /// <summary>The tree of the file with this pieces root, made from its piece layer on first use; null when we hold none.</summary>
    private MerkleLayers? TreeOf(ReadOnlyMemory<byte> piecesRoot)
    {
        _filesByRoot ??= _torrent.Files
            .Where(f => f.PiecesRoot is not null)
            .DistinctBy(f => f.PiecesRoot!.Value, ByteMemoryComparer.Instance)
            .ToDictionary(f => f.PiecesRoot!.Value, ByteMemoryComparer.Instance);
        if (!_filesByRoot.TryGetValue(piecesRoot, out FileEntry? file) || !_torrent.PieceLayers.TryGetValue(file.PiecesRoot!.Value, out ReadOnlyMemory<byte> layer))
        {
            return null;
        }

        if (!_trees.TryGetValue(file, out MerkleLayers? tree))
        {
            tree = new MerkleLayers(layer.Span, MerkleTree.PieceLayer(_torrent.PieceLength), file.Length);
            _trees[file] = tree;
        }

        return tree;
    }
}
