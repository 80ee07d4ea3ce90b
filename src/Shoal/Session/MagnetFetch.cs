using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Net.Encryption;
using Shoal.Net.Streams;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// Gets a magnet's info dictionary before its torrent can run (BEP 9), and a v2-only torrent's piece layers
/// (BEP 52): dials the peers it knows, a few at a time with back-off, and lets a <see cref="MagnetFetcher"/> talk
/// to each until one peer's copy matches the info-hashes and every piece layer is proven against its root. A peer whose copy does not match, or that breaks the protocol, is never dialled
/// again nor handed on to the download. The link's trackers and the options' are asked for peers meanwhile.
/// </summary>
internal sealed class MagnetFetch(SessionContext session, MagnetLink magnet, AddTorrentOptions options) : IPeerSink
{
    private const int MaxConnections = 8;
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    // A peer that neither refuses nor finishes within this long is left for the next one.
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);

    private readonly MagnetFetcher _fetcher = new(magnet.InfoHashes);
    private readonly PeerDialer _dialer = new(
        session.Connector,
        new Handshake(ReservedBits.MetadataOnly.WithV2(magnet.InfoHashes.V2 is not null), magnet.InfoHashes.ForWire, session.PeerId),
        session.EncryptionFor(isPrivate: false),
        magnet.InfoHashes.V2?.Truncated);
    private readonly ILogger _logger = session.Options.Loggers.CreateLogger("Shoal.Torrent");
    private readonly Lock _gate = new();
    private readonly KnownPeers _known = new();
    private readonly List<IPEndPoint> _peers = [];
    private readonly HashSet<IPEndPoint> _convicted = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startTimestamp = session.Options.Time.GetTimestamp();
    private int _connections;

    /// <summary>Each of a magnet's tr URLs is a tier of its own, as if each were an announce-list entry.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Tiers(MagnetLink magnet) => [.. magnet.Trackers.Select(url => (IReadOnlyList<string>)[url])];

    private string Name => magnet.DisplayName ?? magnet.InfoHashes.ForWire.ToHex();

    private TimeSpan Now => session.Options.Time.GetElapsedTime(_startTimestamp);

    public void AddPeers(IEnumerable<IPEndPoint> peers, PeerSource source)
    {
        int added = 0;
        lock (_gate)
        {
            foreach (IPEndPoint peer in peers)
            {
                added += _known.Add(peer) ? 1 : 0;
                _peers.Add(peer);
            }
        }

        if (added > 0)
        {
            EngineLog.PeersAdded(_logger, Name, added, source);
        }
    }

    /// <summary>Adds the magnet's x.pe peers, resolving host names; one that does not resolve is skipped.</summary>
    public async Task AddMagnetPeersAsync(CancellationToken cancellationToken)
    {
        foreach (MagnetPeer peer in magnet.Peers)
        {
            try
            {
                IPAddress[] addresses = IPAddress.TryParse(peer.Host, out IPAddress? address)
                    ? [address]
                    : await Dns.GetHostAddressesAsync(peer.Host, cancellationToken).ConfigureAwait(false);
                AddPeers(addresses.Select(a => new IPEndPoint(a, peer.Port)), PeerSource.Magnet);
            }
            catch (SocketException e)
            {
                EngineLog.PeerUnresolved(_logger, Name, peer, e.Message);
            }
        }
    }

    /// <summary>
    /// The verified info dictionary, the verified piece layers of a v2-only torrent (else null), and every peer worth
    /// handing to the download.
    /// </summary>
    public async Task<(ReadOnlyMemory<byte> Info, IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? PieceLayers, IReadOnlyList<IPEndPoint> Peers)> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = new List<Task>();
        using var trackers = new TorrentTrackers(session, Name, magnet.InfoHashes.ForWire, Tiers(magnet), options.Trackers, options.AnnounceUrlRewrite, Totals, this, _logger);
        trackers.Start();
        try
        {
            while (!_done.Task.IsCompleted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                running.RemoveAll(task => task.IsCompleted);
                running.AddRange(TakeDue().Select(peer => FetchFromAsync(peer, stop.Token)));

                // A tracker that knew no peer at the first announce is asked again at its interval.
                trackers.Tick();
                await Task.WhenAny(Task.Delay(TickInterval, session.Options.Time, cancellationToken), _done.Task).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running).ConfigureAwait(false);
            await trackers.StopAsync().ConfigureAwait(false);
        }

        ReadOnlyMemory<byte> info = _fetcher.Metadata!.Value;
        EngineLog.MetadataFetched(_logger, Name, info.Length);
        IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? layers = _fetcher.PieceLayers;
        if (layers is not null)
        {
            EngineLog.PieceLayersFetched(_logger, Name, layers.Count, _fetcher.HashRequests.Requests, _fetcher.HashRequests.Verified);
        }

        lock (_gate)
        {
            return (info, layers, [.. _peers.Distinct().Where(p => !_convicted.Contains(p))]);
        }
    }

    /// <summary>Nothing moved yet; how much is left is unknown before the metadata, and a positive guess keeps us a leecher to the tracker.</summary>
    private (long Uploaded, long Downloaded, long Left, bool PartialSeed) Totals() => (0, 0, Math.Max(1, magnet.ExactLength ?? 1), false);

    private IReadOnlyList<IPEndPoint> TakeDue()
    {
        lock (_gate)
        {
            IReadOnlyList<IPEndPoint> due = _known.TakeDue(Now, MaxConnections - _connections);
            _connections += due.Count;
            return due;
        }
    }

    private async Task FetchFromAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        MetadataProgress progress = MetadataProgress.Refused;
        try
        {
            (IPeerStream stream, Handshake remote) = await _dialer.DialAsync(endPoint, cancellationToken).ConfigureAwait(false);
            using (stream)
            {
                if (session.IsOurPeerId(remote.PeerId.Span))
                {
                    throw new PeerProtocolException("the peer is us");
                }

                if (remote.Reserved.SupportsExtensionProtocol)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(PeerTimeout);
                    progress = await MetadataConnection.RunAsync(stream, _fetcher, new MagnetSource(SpeaksV2(remote)), _gate, timeout.Token).ConfigureAwait(false);
                }
            }
        }
        catch (PeerProtocolException e)
        {
            progress = MetadataProgress.Corrupt;
            EngineLog.DialFailed(_logger, Name, endPoint, e.Message);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or MseException)
        {
            EngineLog.DialFailed(_logger, Name, endPoint, e.Message);
        }
        finally
        {
            Finished(endPoint, progress);
        }
    }

    /// <summary>
    /// Whether BEP 52 hash messages may go to this peer: it set the v2 bit, or the connection is on the truncated v2
    /// hash, which only v2 peers answer (libtorrent 2.0.8 seeding a v2-only torrent does not set the bit).
    /// </summary>
    private bool SpeaksV2(Handshake remote) =>
        remote.Reserved.SupportsV2 || (magnet.InfoHashes.V2 is { } v2 && remote.InfoHash.Equals(v2.Truncated));

    private void Finished(IPEndPoint endPoint, MetadataProgress progress)
    {
        lock (_gate)
        {
            _connections--;
            if (progress == MetadataProgress.Corrupt)
            {
                _convicted.Add(endPoint);
                _known.Forget(endPoint);
            }
            else
            {
                _known.Released(endPoint, Now, failed: progress != MetadataProgress.Complete);
            }
        }

        if (progress == MetadataProgress.Complete)
        {
            _done.TrySetResult();
        }
    }
}
