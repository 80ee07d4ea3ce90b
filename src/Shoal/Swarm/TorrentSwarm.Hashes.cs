using System.Numerics;
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

    /// <summary>Leaf-hash requests one peer may have waiting for a piece to be read and hashed.</summary>
    private const int MaxLeafRequestsPerPeer = 2;

    /// <summary>Pieces being read and hashed for leaf-hash requests at once, and pieces' leaves kept after.</summary>
    private const int MaxPiecesHashing = 4;
    private const int MaxCachedLeaves = 8;

    private readonly Dictionary<FileEntry, MerkleLayers> _trees = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, List<(SwarmPeer Peer, HashRequest Request)>> _leafRequests = [];
    private readonly Dictionary<int, byte[]> _cachedLeaves = [];
    private readonly Queue<int> _cachedOrder = new();
    private Dictionary<ReadOnlyMemory<byte>, FileEntry>? _filesByRoot;

    /// <summary>BEP 52 hash requests answered with hashes.</summary>
    public long HashRequestsAnswered { get; private set; }

    /// <summary>BEP 52 hash requests answered with a hash reject.</summary>
    public long HashRequestsRejected { get; private set; }

    /// <summary>
    /// BEP 52: answers from the piece layers we hold (each file's tree from its piece layer up), so any layer from the
    /// piece layer to the root, and leaf hashes within one piece we have, hashed from its data on disk (what libtorrent
    /// asks for after a piece fails). What we cannot answer, or a peer past its share, gets a hash reject.
    /// </summary>
    private void OnHashRequest(SwarmPeer peer, HashRequest request)
    {
        if (peer.HashesSentThisSecond + request.Length > HashesPerPeerPerSecond)
        {
            Reject(peer, request);
            return;
        }

        if (request.BaseLayer == 0 && LeafPieceOf(request) is { } piece)
        {
            OnLeafRequest(peer, request, piece);
            return;
        }

        if (TryGetHashes(request, out byte[] hashes))
        {
            Answer(peer, request, hashes);
        }
        else
        {
            Reject(peer, request);
        }
    }

    /// <summary>The checker read and hashed a piece's blocks for leaf-hash requests (null: it could not read them).</summary>
    public void OnBlockHashes(int piece, byte[]? leaves)
    {
        if (!_leafRequests.Remove(piece, out List<(SwarmPeer Peer, HashRequest Request)>? waiting))
        {
            return;
        }

        if (leaves is not null)
        {
            CacheLeaves(piece, leaves);
        }

        foreach ((SwarmPeer peer, HashRequest request) in waiting)
        {
            peer.PendingLeafRequests--;
            if (!peer.IsAttached)
            {
                continue;
            }

            if (leaves is not null)
            {
                Answer(peer, request, LeafAnswer(request, leaves));
            }
            else
            {
                Reject(peer, request);
            }
        }

        FlushOutput();
    }

    private void OnLeafRequest(SwarmPeer peer, HashRequest request, int piece)
    {
        if (_cachedLeaves.TryGetValue(piece, out byte[]? leaves))
        {
            Answer(peer, request, LeafAnswer(request, leaves));
            return;
        }

        bool hashing = _leafRequests.TryGetValue(piece, out List<(SwarmPeer Peer, HashRequest Request)>? waiting);
        if (peer.PendingLeafRequests >= MaxLeafRequestsPerPeer || (!hashing && _leafRequests.Count >= MaxPiecesHashing))
        {
            Reject(peer, request);
            return;
        }

        peer.PendingLeafRequests++;
        if (!hashing)
        {
            waiting = [];
            _leafRequests[piece] = waiting;
            _checker.HashBlocks(piece);
        }

        waiting!.Add((peer, request));
    }

    private void Answer(SwarmPeer peer, HashRequest request, byte[] hashes)
    {
        peer.HashesSentThisSecond += request.Length;
        HashRequestsAnswered++;
        PeerMessageWriter.WriteHashes(Output(peer), request, hashes);
    }

    private void Reject(SwarmPeer peer, HashRequest request)
    {
        HashRequestsRejected++;
        PeerMessageWriter.WriteHashRequest(Output(peer), MessageId.HashReject, request);
    }

    private void CacheLeaves(int piece, byte[] leaves)
    {
        if (_cachedLeaves.TryAdd(piece, leaves))
        {
            _cachedOrder.Enqueue(piece);
            if (_cachedOrder.Count > MaxCachedLeaves)
            {
                _cachedLeaves.Remove(_cachedOrder.Dequeue());
            }
        }
    }

    private bool TryGetHashes(HashRequest request, out byte[] hashes)
    {
        hashes = [];
        return request.IsWellFormed
            && FileOf(request.PiecesRoot) is { } file
            && TreeOf(file) is { } tree
            && tree.TryGetHashes(request.BaseLayer, request.Index, request.Length, request.ProofLayers, out hashes);
    }

    /// <summary>
    /// The piece whose leaves a leaf-hash request asks for, when we can answer it: it fits the file's tree, lies within
    /// one piece we have, and its proof, if it goes above that piece, can come from the piece layer we hold.
    /// </summary>
    private int? LeafPieceOf(HashRequest request)
    {
        if (!request.IsWellFormed || FileOf(request.PiecesRoot) is not { } file)
        {
            return null;
        }

        int rootLayer = MerkleTree.LayerCount(file.Length);
        int width = PieceSubtree.Width(_torrent.PieceLength, file.Length);
        int pieceInFile = request.Index / width;
        int piece = (int)(file.Offset / _torrent.PieceLength) + pieceInFile;
        bool fits = MerkleProof.Fits(rootLayer, 0, request.Index, request.Length, request.ProofLayers)
            && request.Length <= width
            && (long)pieceInFile * _torrent.PieceLength < file.Length
            && piece < _torrent.PieceCount
            && Have[piece];
        bool provable = request.ProofLayers < BitOperations.Log2((uint)width) || TreeOf(file) is not null;
        return fits && provable ? piece : null;
    }

    /// <summary>The leaves asked for (zero past the file), then the uncles: within the piece from its leaves, above it from the piece layer.</summary>
    private byte[] LeafAnswer(HashRequest request, byte[] leaves)
    {
        FileEntry file = FileOf(request.PiecesRoot)!;
        int width = PieceSubtree.Width(_torrent.PieceLength, file.Length);
        int pieceLayer = BitOperations.Log2((uint)width);
        int first = request.Index % width;
        int uncles = MerkleProof.UncleCount(request.Length, request.ProofLayers);
        byte[] hashes = new byte[(request.Length + uncles) * MerkleTree.HashSize];
        int available = Math.Max(0, Math.Min(request.Length, (leaves.Length / MerkleTree.HashSize) - first));
        leaves.AsSpan(first * MerkleTree.HashSize, available * MerkleTree.HashSize).CopyTo(hashes);
        int lowest = BitOperations.Log2((uint)request.Length);
        for (int u = 0; u < uncles; u++)
        {
            int layer = lowest + u;
            ReadOnlySpan<byte> uncle = layer < pieceLayer
                ? PieceSubtree.Node(leaves, layer, (first >> layer) ^ 1)
                : TreeOf(file)!.Node(layer, (request.Index >> layer) ^ 1);
            uncle.CopyTo(hashes.AsSpan((request.Length + u) * MerkleTree.HashSize));
        }

        return hashes;
    }

    private FileEntry? FileOf(ReadOnlyMemory<byte> piecesRoot)
    {
        _filesByRoot ??= _torrent.Files
            .Where(f => f.PiecesRoot is not null)
            .DistinctBy(f => f.PiecesRoot!.Value, ByteMemoryComparer.Instance)
            .ToDictionary(f => f.PiecesRoot!.Value, ByteMemoryComparer.Instance);
        return _filesByRoot.GetValueOrDefault(piecesRoot);
    }

    /// <summary>The file's tree from its piece layer up, made on first use; null when we hold no piece layer for it.</summary>
    private MerkleLayers? TreeOf(FileEntry file)
    {
        if (!_torrent.PieceLayers.TryGetValue(file.PiecesRoot!.Value, out ReadOnlyMemory<byte> layer))
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
