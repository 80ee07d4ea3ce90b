using System.Buffers;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// What a magnet needs from peers before its download can start: the info dictionary (BEP 9), then, for a v2-only
/// torrent, each file's piece layer (BEP 52), which the info dictionary does not carry. The same connections go on
/// from one to the other. Sans I/O; the caller serializes every call.
/// </summary>
public sealed class MagnetFetcher(InfoHashes expected)
{
    private readonly MetadataFetcher _metadata = new(expected);
    private PieceLayerFetcher? _layers;
    private bool _complete;

    /// <summary>The verified info dictionary, once a peer gave it.</summary>
    public ReadOnlyMemory<byte>? Metadata => _metadata.Metadata;

    /// <summary>The verified piece layers, when the torrent needed them and they are all here; else null.</summary>
    public IReadOnlyDictionary<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? PieceLayers => _complete ? _layers?.PieceLayers : null;

    /// <summary>Hash requests sent and answers verified, while fetching piece layers.</summary>
    public (int Requests, int Verified) HashRequests => _layers is null ? (0, 0) : (_layers.RequestsSent, _layers.AnswersVerified);

    public static void WriteHandshake(IBufferWriter<byte> output) => MetadataFetcher.WriteHandshake(output);

    /// <summary>Handles one message from <paramref name="source"/>; a malformed one is a <see cref="PeerProtocolException"/>.</summary>
    public MetadataProgress OnMessage(MagnetSource source, in PeerMessage message, IBufferWriter<byte> output)
    {
        if (_complete)
        {
            return MetadataProgress.Complete;
        }

        if (_layers is null)
        {
            MetadataProgress progress = _metadata.OnMessage(source.Metadata, message, output);
            if (progress != MetadataProgress.Complete)
            {
                return progress;
            }

            _layers = LayerFetcherFor(_metadata.Metadata!.Value);
            if (_layers is null)
            {
                _complete = true;
                return MetadataProgress.Complete;
            }

            return Finish(_layers.Request(source.Layers, output));
        }

        return Finish(_layers.OnMessage(source.Layers, message, output));
    }

    /// <summary>The connection ended: hashes it was asked for go back to the others.</summary>
    public static void OnClosed(MagnetSource source) => PieceLayerFetcher.OnClosed(source.Layers);

    private MetadataProgress Finish(MetadataProgress progress)
    {
        _complete = _layers!.IsComplete;
        return _complete ? MetadataProgress.Complete : progress;
    }

    // Metadata that matches the info-hash but does not parse is the torrent's own fault: the session reports it.
    private static PieceLayerFetcher? LayerFetcherFor(ReadOnlyMemory<byte> info)
    {
        try
        {
            Torrent torrent = TorrentParser.ParseInfoDictionary(info);
            return PieceLayerFetcher.IsNeeded(torrent) ? new PieceLayerFetcher(torrent) : null;
        }
        catch (MetainfoException)
        {
            return null;
        }
    }
}
