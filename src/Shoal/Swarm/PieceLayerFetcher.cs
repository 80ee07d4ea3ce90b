using System.Buffers;
using System.Numerics;
using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// Fetches the piece layers of a v2-only torrent whose info dictionary came from peers (BEP 9 carries no piece
/// layers): each file larger than a piece is asked for in hash requests of at most 512 hashes at its piece layer,
/// with every uncle up to its pieces root, as libtorrent asks, so that each answer is checked on its own against the
/// root before it is kept. An answer that fails convicts its one sender. Sans I/O; the caller serializes every call.
/// </summary>
public sealed class PieceLayerFetcher
{
    /// <summary>Hash requests a peer may have unanswered (libtorrent keeps two).</summary>
    public const int MaxOutstandingPerPeer = 2;

    /// <summary>Hashes per request: BEP 52's recommended most, libtorrent's size.</summary>
    public const int ChunkLength = 512;

    private readonly List<PieceLayerChunk> _chunks = [];
    private readonly Dictionary<ReadOnlyMemory<byte>, byte[]> _layers = new(ByteMemoryComparer.Instance);
    private int _done;

    public PieceLayerFetcher(Torrent torrent)
    {
        int pieceLayer = MerkleTree.PieceLayer(torrent.PieceLength);
        foreach (FileEntry file in torrent.Files)
        {
            if (file.IsPadding || file.Length <= torrent.PieceLength || file.PiecesRoot is not { } root || _layers.ContainsKey(root))
            {
                continue;
            }

            int pieces = (int)((file.Length + torrent.PieceLength - 1) / torrent.PieceLength);
            int rootLayer = MerkleTree.LayerCount(file.Length);
            _layers[root] = new byte[pieces * MerkleTree.HashSize];
            for (int index = 0; index < pieces; index += ChunkLength)
            {
                // A power of two covering the pieces left (BEP 52 asks for at least two), the rest pad hashes.
                int length = Math.Max(2, (int)Math.Min(ChunkLength, BitOperations.RoundUpToPowerOf2((uint)(pieces - index))));
                var request = new HashRequest(root, pieceLayer, index, length, MerkleProof.ProofLayersToRoot(rootLayer, pieceLayer));
                _chunks.Add(new PieceLayerChunk(root, rootLayer, pieces, request));
            }
        }
    }

    /// <summary>Whether the torrent needs piece layers from peers at all: v2-only, with a file larger than a piece.</summary>
    public static bool IsNeeded(Torrent torrent) =>
        !torrent.Version.HasV1() && torrent.Files.Any(f => !f.IsPadding && f.Length > torrent.PieceLength);

    public bool IsComplete => _done == _chunks.Count;

    /// <summary>Hash requests sent, and answers that proved their hashes against the file's root.</summary>
    public int RequestsSent { get; private set; }

    public int AnswersVerified { get; private set; }

    /// <summary>Every file's piece layer, keyed by its pieces root, once <see cref="IsComplete"/>.</summary>
    public IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> PieceLayers =>
        IsComplete
            ? _layers.ToDictionary(l => l.Key, l => (ReadOnlyMemory<byte>)l.Value, ByteMemoryComparer.Instance)
            : throw new InvalidOperationException("the piece layers are not all fetched yet");

    /// <summary>Handles one message from <paramref name="source"/>, then asks it for more; a peer that cannot help is refused.</summary>
    public MetadataProgress OnMessage(PieceLayerSource source, in PeerMessage message, IBufferWriter<byte> output)
    {
        switch (message.Id)
        {
            case MessageId.Hashes:
                if (!OnHashes(source, HashesMessage.Read(message.Payload)))
                {
                    return MetadataProgress.Corrupt;
                }

                break;
            case MessageId.HashReject:
                if (Take(source, HashRequest.Read(message.Payload)) is not null)
                {
                    return MetadataProgress.Refused;
                }

                break;
            case MessageId.HashRequest:
                // BEP 52: every request is answered; we hold no hashes yet.
                PeerMessageWriter.WriteHashRequest(output, MessageId.HashReject, HashRequest.Read(message.Payload));
                break;
        }

        return Request(source, output);
    }

    /// <summary>Asks <paramref name="source"/> for chunks no one else is asked, up to its share.</summary>
    public MetadataProgress Request(PieceLayerSource source, IBufferWriter<byte> output)
    {
        if (IsComplete)
        {
            return MetadataProgress.Complete;
        }

        if (!source.SupportsV2)
        {
            return MetadataProgress.Refused;
        }

        foreach (PieceLayerChunk chunk in _chunks)
        {
            if (source.Outstanding.Count >= MaxOutstandingPerPeer)
            {
                break;
            }

            if (!chunk.IsDone && chunk.AskedOf is null)
            {
                chunk.AskedOf = source;
                source.Outstanding.Add(chunk);
                RequestsSent++;
                PeerMessageWriter.WriteHashRequest(output, MessageId.HashRequest, chunk.Request);
            }
        }

        return MetadataProgress.Pending;
    }

    /// <summary>The connection ended: what it was asked goes back to be asked of others.</summary>
    public static void OnClosed(PieceLayerSource source)
    {
        foreach (PieceLayerChunk chunk in source.Outstanding)
        {
            chunk.AskedOf = null;
        }

        source.Outstanding.Clear();
    }

    private bool OnHashes(PieceLayerSource source, HashesMessage hashes)
    {
        // An answer to nothing we asked of this peer (late, or asked of another) is dropped, not trusted.
        if (Take(source, hashes.Request) is not { } chunk)
        {
            return true;
        }

        HashRequest request = chunk.Request;
        if (!MerkleProof.Verify(chunk.PiecesRoot.Span, chunk.RootLayer, request.BaseLayer, request.Index, request.Length, request.ProofLayers, hashes.Hashes.Span))
        {
            return false;
        }

        int kept = Math.Min(request.Length, chunk.PieceCount - request.Index);
        hashes.BaseHashes.Span[..(kept * MerkleTree.HashSize)].CopyTo(_layers[chunk.PiecesRoot].AsSpan(request.Index * MerkleTree.HashSize));
        chunk.IsDone = true;
        _done++;
        AnswersVerified++;
        return true;
    }

    private static PieceLayerChunk? Take(PieceLayerSource source, HashRequest request)
    {
        int at = source.Outstanding.FindIndex(c => c.Request == request);
        if (at < 0)
        {
            return null;
        }

        PieceLayerChunk chunk = source.Outstanding[at];
        source.Outstanding.RemoveAt(at);
        chunk.AskedOf = null;
        return chunk;
    }
}
