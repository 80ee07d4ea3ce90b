using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>
    /// The checker has written a complete piece it has not verified yet: a kill no longer loses it (the next start finds it
    /// on disk and hashes it), so it no longer counts against <see cref="SwarmSettings.UnwrittenLimit"/>.
    /// </summary>
    public void OnPieceWritten(int piece)
    {
        if (_picker.Partial(piece) is not { IsChecking: true, IsWritten: false } partial)
        {
            return;
        }

        bool wasHeldBack = _picker.UnwrittenBytes >= _settings.UnwrittenLimit;
        _picker.MarkWritten(partial);
        if (wasHeldBack)
        {
            RequestFromEveryPeer();
        }
    }

    /// <summary>
    /// The checker's verdict on a complete piece (written before it was verified: a piece that failed is then
    /// overwritten when it is fetched again); true when that piece completed the download.
    /// </summary>
    public bool OnPieceChecked(int piece, bool passed)
    {
        PartialPiece? partial = _picker.Partial(piece);
        if (partial is null || !partial.IsChecking)
        {
            return false;
        }

        bool wasComplete = IsComplete;
        if (passed)
        {
            // Only a piece that failed before has bad versions to compare with; the rest need no block list.
            if (_smartBan.HasFailed(piece))
            {
                Ban(_smartBan.OnPiecePassed(piece, BlocksAndSenders(partial)), "sent a corrupt block (found when the piece later verified)");
            }

            _picker.Finish(partial, passed: true);
            _verifiedBytes += partial.Size;
            AnnouncePiece(piece);
        }
        else
        {
            HashFailures++;
            Wasted += partial.Size;
            if (!SuspectBlocks(partial))
            {
                Ban(_smartBan.OnPieceFailed(piece, BlocksAndSenders(partial)), "sent pieces that fail their hash check");
            }

            BanLoneWebSeed(partial);
            _picker.Finish(partial, passed: false);
        }

        RequestFromEveryPeer();
        return !wasComplete && IsComplete;
    }

    private void RequestFromEveryPeer()
    {
        if (!IsClosed)
        {
            foreach (SwarmPeer peer in _peers.ToArray())
            {
                RequestBlocks(peer);
            }

            FlushOutput();
        }
    }

    private static (PeerKey Sender, ReadOnlyMemory<byte> Block)[] BlocksAndSenders(PartialPiece partial)
    {
        var blocks = new (PeerKey Sender, ReadOnlyMemory<byte> Block)[partial.BlockCount];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = (partial.Senders[i]!.Value, partial.Data(i));
        }

        return blocks;
    }

    /// <summary>A piece that could not be written (disk full, I/O error) is dropped without blaming its senders.</summary>
    public void OnPieceNotStored(int piece)
    {
        if (_picker.Partial(piece) is { IsChecking: true } partial)
        {
            _picker.Finish(partial, passed: false);
        }
    }

    private void Ban(IReadOnlyCollection<PeerKey> convicted, string reason)
    {
        foreach (PeerKey key in convicted)
        {
            if (DiscardWebSeed(key, reason))
            {
                continue;
            }

            bool wholeAddress = _bans.Ban(key);
            foreach (SwarmPeer peer in _peers.Where(p => wholeAddress ? p.Address.Equals(key.Address) : p.Key == key).ToArray())
            {
                Disconnect(peer, wholeAddress ? $"banned with every peer of its address ({PeerBans.PeersBeforeAddressBan} of them cheated): {reason}" : $"banned: {reason}");
            }
        }
    }

    private void UpdateInterest(SwarmPeer peer)
    {
        bool interested = _picker.WantsAnythingFrom(peer.Pieces);
        if (interested != peer.AmInterested)
        {
            peer.AmInterested = interested;
            PeerMessageWriter.WriteSimple(Output(peer), interested ? MessageId.Interested : MessageId.NotInterested);
        }

        RequestBlocks(peer);
    }

    /// <summary>Tops up the peer's request pipeline.</summary>
    private void RequestBlocks(SwarmPeer peer)
    {
        if (!peer.AmInterested || HasNothingToFetch || IsClosed || (peer.PeerChoking && peer.AllowedFastFromPeer.Count == 0))
        {
            return;
        }

        int depth = peer.IsSnubbed ? 1 : Math.Min(peer.QueueDepth, peer.PeerRequestQueue);
        int wanted = depth - peer.Outstanding.Count;

        // Requests go out in batches (a quarter of the pipeline, at most 32): one message burst, one
        // wake-up of each side's send loop per batch rather than per block.
        if (wanted <= 0 || wanted < Math.Clamp(depth / 4, 1, 32))
        {
            return;
        }

        // Back-pressure: start no new piece while received and requested blocks fill the write cache, or while the
        // checker is behind: with pieces to verify, or to write (a disk stalled in write-back), which a kill loses.
        bool mayStartPieces = _picker.BufferedBytes + ((long)_outstandingBlocks * PieceGeometry.BlockSize) < _settings.WriteCacheLimit
            && _picker.CheckingBytes < _settings.CheckQueueLimit
            && _picker.UnwrittenBytes < _settings.UnwrittenLimit;
        _blocks.Clear();
        _picker.Pick(peer, wanted, mayStartPieces, _settings.EndgameDuplicates, _blocks);
        if (_blocks.Count == 0)
        {
            return;
        }

        TimeSpan now = Now;
        IBufferWriter<byte> output = Output(peer);
        foreach (BlockRef block in _blocks)
        {
            peer.Outstanding.Add(block, now);
            _outstandingBlocks++;
            PeerMessageWriter.WriteBlockReference(output, MessageId.Request, block.Piece, block.Begin, block.Length);
        }
    }

    private void OnBlock(SwarmPeer peer, BlockRef block, ReadOnlySequence<byte> data)
    {
        bool requested = peer.Outstanding.Remove(block);
        if (requested)
        {
            _outstandingBlocks--;
        }

        bool kept = _picker.Store(block, data.IsSingleSegment ? data.FirstSpan : data.ToArray(), peer.Key, out PartialPiece? partial);
        if (requested)
        {
            _picker.ReleaseRequest(block);
        }

        if (!kept)
        {
            Wasted += block.Length;
            return;
        }

        TimeSpan now = Now;
        Downloaded += block.Length;
        peer.Downloaded += block.Length;
        peer.DownloadMeter.Add(block.Length, now);
        _downloadMeter.Add(block.Length, now);
        peer.LastBlockReceived = now;
        peer.IsSnubbed = false;

        // Slow start: each block answered grows the pipeline by one (doubling it every round trip) up to its limit,
        // and the next tick sizes it from the measured rate. While we are the bottleneck it grows by one per
        // pipeline's worth of blocks instead, so it finds its level again.
        bool grows = IsReceiverLimited(peer, now)
            ? ++peer.BlocksSinceDepthGrew >= peer.QueueDepth
            : peer.QueueDepth < _settings.SlowStartLimit;
        if (grows)
        {
            peer.BlocksSinceDepthGrew = 0;
            peer.QueueDepth = Math.Min(peer.QueueDepth + 1, _settings.MaxQueueDepth);
        }

        if (partial!.RequestCount(block.BlockIndex) > 0)
        {
            CancelDuplicates(block, peer);
        }

        if (partial.IsComplete)
        {
            _picker.StartCheck(partial);
            _checker.CheckAndStore(partial.Index, partial.AllData());
        }

        RequestBlocks(peer);
    }

    /// <summary>Endgame: the block arrived, so other peers asked for it are told not to send it.</summary>
    private void CancelDuplicates(BlockRef block, SwarmPeer receivedFrom)
    {
        foreach (SwarmPeer other in _peers)
        {
            if (other != receivedFrom && other.Outstanding.Remove(block))
            {
                _outstandingBlocks--;
                _picker.ReleaseRequest(block);
                PeerMessageWriter.WriteBlockReference(Output(other), MessageId.Cancel, block.Piece, block.Begin, block.Length);
            }
        }
    }

    private void OnReject(SwarmPeer peer, BlockRef block)
    {
        if (!peer.Outstanding.Remove(block))
        {
            return;
        }

        _outstandingBlocks--;
        _picker.ReleaseRequest(block);
        if (!peer.PeerChoking)
        {
            RequestBlocks(peer);
        }
    }

    /// <summary>Gives the peer's requests back to the picker and lets the other peers ask for them at once.</summary>
    private void ReleaseOutstanding(SwarmPeer peer)
    {
        _blocks.Clear();
        peer.Outstanding.Clear(_blocks);
        foreach (BlockRef block in _blocks)
        {
            _picker.ReleaseRequest(block);
        }

        _outstandingBlocks -= _blocks.Count;
        if (_blocks.Count == 0)
        {
            return;
        }

        foreach (SwarmPeer other in _peers)
        {
            if (other != peer)
            {
                RequestBlocks(other);
            }
        }
    }

    /// <summary>A peer that leaves a request unanswered too long is snubbed and its requests go to others.</summary>
    private void ExpireRequests(SwarmPeer peer, TimeSpan now)
    {
        if (peer.Outstanding.Count == 0)
        {
            return;
        }

        TimeSpan oldest = peer.Outstanding.Oldest.SentAt;
        TimeSpan waitingSince = oldest > peer.LastBlockReceived ? oldest : peer.LastBlockReceived;
        if (now - waitingSince > _settings.RequestTimeout)
        {
            peer.IsSnubbed = true;
            ReleaseOutstanding(peer);
        }
    }

    /// <summary>
    /// After each read the transport says how many bytes from the peer are still waiting to be read (0 when the read
    /// drained the socket). Bytes left waiting read after read for <see cref="SwarmSettings.UnreadBytesPersistence"/>
    /// mean the peer and the path deliver faster than we take blocks in. Requests beyond those in transit would only
    /// lengthen that queue: they add no speed, hold memory in the kernel, and a kill loses all of it. So the pipeline is
    /// cut to what is in transit plus a margin, and until the hold has passed it grows by one block per pipeline's
    /// worth, not by slow start or the measured rate.
    /// </summary>
    public void OnUnreadBytes(SwarmPeer peer, long unreadBytes)
    {
        if (IsClosed || !peer.IsAttached)
        {
            return;
        }

        if (unreadBytes < _settings.UnreadBytesMargin)
        {
            peer.UnreadSince = null;
            return;
        }

        // A burst released by a loss recovery is read at once; only a backlog that lasts is ours. Loopback loses nothing.
        peer.UnreadSince ??= Now;
        if (!IPAddress.IsLoopback(peer.Address) && Now - peer.UnreadSince.Value < _settings.UnreadBytesPersistence)
        {
            return;
        }

        int waiting = (int)Math.Min(unreadBytes / PieceGeometry.BlockSize, peer.Outstanding.Count);
        int inTransit = peer.Outstanding.Count - waiting;
        int depth = Math.Max(inTransit + (_settings.UnreadBytesMargin / PieceGeometry.BlockSize), _settings.ReceiverLimitedQueueDepth);
        peer.QueueDepth = Math.Max(Math.Min(depth, peer.QueueDepth), _settings.MinQueueDepth);
        peer.ReceiverLimitedAt = Now;
    }

    private bool IsReceiverLimited(SwarmPeer peer, TimeSpan now) =>
        peer.ReceiverLimitedAt is { } at && now - at < _settings.ReceiverLimitedHold;

    /// <summary>Keeps about <see cref="SwarmSettings.RequestQueueTime"/> of the peer's measured rate in flight.</summary>
    private void AdaptQueueDepth(SwarmPeer peer, TimeSpan now)
    {
        long rate = peer.DownloadMeter.Rate(now);
        if (rate > 0)
        {
            long depth = (long)(rate * _settings.RequestQueueTime.TotalSeconds) / PieceGeometry.BlockSize;
            if (IsReceiverLimited(peer, now))
            {
                depth = Math.Min(depth, peer.QueueDepth);
            }

            peer.QueueDepth = (int)Math.Clamp(depth, _settings.MinQueueDepth, _settings.MaxQueueDepth);
        }
    }
}
