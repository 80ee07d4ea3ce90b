using System.Numerics;
using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>Failed v2 pieces waiting for their leaf hashes at once; a failure beyond is not pinned on anyone.</summary>
    private const int MaxSuspectPieces = 16;

    private static readonly TimeSpan LeafAnswerTimeout = TimeSpan.FromSeconds(20);

    private readonly Dictionary<int, SuspectPiece> _suspects = [];

    /// <summary>
    /// A v2-only piece failed (BEP 52): rather than give every sender of its blocks a strike, ask a peer for the piece's
    /// leaf hashes, proven against the piece's hash, and convict exactly the senders of the blocks that do not match
    /// theirs. False when no peer can be asked, so that smart ban's strikes decide instead.
    /// </summary>
    private bool SuspectBlocks(PartialPiece partial)
    {
        if (_torrent.Version.HasV1() || _suspects.Count >= MaxSuspectPieces || _suspects.ContainsKey(partial.Index))
        {
            return false;
        }

        FileEntry file = _torrent.FileAt(_torrent.PieceOffset(partial.Index));
        if (file.PiecesRoot is not { } root || PieceHashOf(file, partial.Index) is not { } pieceHash)
        {
            return false;
        }

        int width = PieceSubtree.Width(_torrent.PieceLength, file.Length);
        int pieceInFile = (int)((_torrent.PieceOffset(partial.Index) - file.Offset) / _torrent.PieceLength);
        var request = new HashRequest(root, 0, pieceInFile * width, width, BitOperations.Log2((uint)width) - 1);
        var blocks = new (PeerKey Sender, byte[] Leaf)[partial.BlockCount];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = (partial.Senders[i]!.Value, SHA256.HashData(partial.Data(i).Span));
        }

        var suspect = new SuspectPiece(partial.Index, request, pieceHash, blocks);
        if (!AskForLeaves(suspect))
        {
            return false;
        }

        _suspects[partial.Index] = suspect;
        return true;
    }

    /// <summary>Asks a peer that has the piece, not yet asked, one that sent none of its blocks first.</summary>
    private bool AskForLeaves(SuspectPiece suspect)
    {
        SwarmPeer? peer = _peers
            .Where(p => p.Pieces[suspect.Piece] && !suspect.Asked.Contains(p.Id))
            .OrderBy(p => suspect.Blocks.Any(b => b.Sender == p.Key))
            .FirstOrDefault();
        if (peer is null)
        {
            suspect.AskedOf = null;
            return false;
        }

        suspect.Asked.Add(peer.Id);
        suspect.AskedOf = peer;
        suspect.AskedAt = Now;
        PeerMessageWriter.WriteHashRequest(Output(peer), MessageId.HashRequest, suspect.Request);
        return true;
    }

    private void OnHashes(SwarmPeer peer, HashesMessage hashes)
    {
        SuspectPiece? suspect = _suspects.Values.FirstOrDefault(s => s.AskedOf == peer && s.Request == hashes.Request);
        if (suspect is null)
        {
            return;
        }

        ReadOnlySpan<byte> leaves = hashes.Hashes.Span;
        if (leaves.Length != suspect.Request.Length * MerkleTree.HashSize
            || !PieceSubtree.Root(leaves, suspect.Request.Length).AsSpan().SequenceEqual(suspect.PieceHash))
        {
            // Hashes that do not hash up to the piece's hash are a lie of their own.
            Ban([peer.Key], "sent BEP 52 hashes that do not match the torrent");
            AskAgain(suspect);
            return;
        }

        _suspects.Remove(suspect.Piece);
        HashSet<PeerKey> convicted = [];
        for (int i = 0; i < suspect.Blocks.Length; i++)
        {
            if (!suspect.Blocks[i].Leaf.AsSpan().SequenceEqual(leaves.Slice(i * MerkleTree.HashSize, MerkleTree.HashSize)))
            {
                convicted.Add(suspect.Blocks[i].Sender);
            }
        }

        BlocksConvicted += convicted.Count;
        Ban(convicted, "sent a block that does not match its BEP 52 leaf hash");
    }

    private void OnHashReject(SwarmPeer peer, HashRequest request)
    {
        if (_suspects.Values.FirstOrDefault(s => s.AskedOf == peer && s.Request == request) is { } suspect)
        {
            AskAgain(suspect);
        }
    }

    /// <summary>The asked peer left, refused or took too long: the next one is asked; with none left, the failure pins no one.</summary>
    private void AskAgain(SuspectPiece suspect)
    {
        if (!AskForLeaves(suspect))
        {
            _suspects.Remove(suspect.Piece);
        }
    }

    private void ExpireLeafRequests(TimeSpan now)
    {
        foreach (SuspectPiece suspect in _suspects.Values.ToArray())
        {
            if (suspect.AskedOf is not { IsAttached: true } || now - suspect.AskedAt > LeafAnswerTimeout)
            {
                AskAgain(suspect);
            }
        }
    }

    /// <summary>The piece's node in its file's piece layer, or the file's root for a file of one piece or less.</summary>
    private byte[]? PieceHashOf(FileEntry file, int piece)
    {
        if (file.Length <= _torrent.PieceLength)
        {
            return file.PiecesRoot!.Value.ToArray();
        }

        if (!_torrent.PieceLayers.TryGetValue(file.PiecesRoot!.Value, out ReadOnlyMemory<byte> layer))
        {
            return null;
        }

        long pieceInFile = (_torrent.PieceOffset(piece) - file.Offset) / _torrent.PieceLength;
        return layer.Slice((int)(pieceInFile * MerkleTree.HashSize), MerkleTree.HashSize).ToArray();
    }
}
