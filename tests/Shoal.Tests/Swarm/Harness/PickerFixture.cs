using System.Net;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Simulation;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>A <see cref="PiecePicker"/> over a synthetic torrent, and peers to pick for (for <see cref="Swarm.PiecePickerTests"/>).</summary>
internal sealed class PickerFixture
{
    private int _nextPeer;

    public PickerFixture(int pieceCount, int blocksPerPiece, int seed = 1)
    {
        Torrent = SyntheticTorrent.Create(new byte[pieceCount * blocksPerPiece * PieceGeometry.BlockSize], blocksPerPiece * PieceGeometry.BlockSize);
        Picker = new PiecePicker(Torrent, new PieceSet(pieceCount), piecePriorities: null, new Random(seed), Pool);
    }

    public Torrent Torrent { get; }

    public TrackingBufferPool Pool { get; } = new();

    public PiecePicker Picker { get; }

    /// <summary>An unchoking peer with the given pieces (all when none are given), counted in the availability.</summary>
    public SwarmPeer Peer(params int[] pieces)
    {
        int id = _nextPeer++;
        var peer = new SwarmPeer(id, new RecordingLink(IPAddress.Parse($"10.1.0.{id + 1}")), new byte[20], ReservedBits.Shoal, Torrent.PieceCount, TimeSpan.Zero)
        {
            PeerChoking = false,
        };
        if (pieces.Length == 0)
        {
            peer.Pieces.SetAll();
        }

        foreach (int piece in pieces)
        {
            peer.Pieces.Set(piece);
        }

        Picker.AddAvailability(peer.Pieces, +1);
        return peer;
    }

    /// <summary>Picks as the swarm does: the picked blocks become the peer's outstanding requests.</summary>
    public List<BlockRef> Pick(SwarmPeer peer, int count, bool mayStartPieces = true, int endgameDuplicates = 2)
    {
        var picked = new List<BlockRef>();
        Picker.Pick(peer, count, mayStartPieces, endgameDuplicates, picked);
        foreach (BlockRef block in picked)
        {
            peer.Outstanding.Add(block, TimeSpan.Zero);
        }

        return picked;
    }
}
