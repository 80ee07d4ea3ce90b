using System.Buffers;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// Fetches a magnet's info dictionary from peers (BEP 9), sans I/O: it consumes decoded wire messages and
/// writes ut_metadata requests. Each peer fills its own copy, so a copy that fails its hash convicts exactly
/// one peer; info dictionaries are small enough for the duplicate requests not to matter. The caller
/// serializes every call.
/// </summary>
public sealed class MetadataFetcher(InfoHashes expected)
{
    /// <summary>Requests a peer may have unanswered: the whole of a typical info dictionary, without flooding.</summary>
    private const int MaxOutstanding = 4;

    /// <summary>The verified info dictionary, once a peer gave it.</summary>
    public ReadOnlyMemory<byte>? Metadata { get; private set; }

    /// <summary>Our extension handshake for a connection that only fetches metadata: ut_metadata, no metadata_size.</summary>
    public static void WriteHandshake(IBufferWriter<byte> output)
    {
        var handshake = new ExtensionHandshake
        {
            Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = LocalExtensionIds.UtMetadata },
            Client = ShoalVersion.CreatedBy,
        };
        PeerMessageWriter.WriteExtended(output, 0, handshake.Encode());
    }

    /// <summary>Handles one message from <paramref name="source"/>; a malformed one is a <see cref="PeerProtocolException"/>.</summary>
    public MetadataProgress OnMessage(MetadataSource source, in PeerMessage message, IBufferWriter<byte> output)
    {
        if (Metadata is not null)
        {
            return MetadataProgress.Complete;
        }

        if (message.Id != MessageId.Extended)
        {
            return MetadataProgress.Pending;
        }

        if (message.ExtendedId == 0)
        {
            return OnHandshake(source, ExtensionHandshake.Parse(message.Payload.ToArray()), output);
        }

        return message.ExtendedId == LocalExtensionIds.UtMetadata
            ? OnMetadataMessage(source, MetadataMessage.Parse(message.Payload.ToArray()), output)
            : MetadataProgress.Pending;
    }

    private static MetadataProgress OnHandshake(MetadataSource source, ExtensionHandshake handshake, IBufferWriter<byte> output)
    {
        if (source.Assembler is not null)
        {
            return MetadataProgress.Pending;
        }

        if (!handshake.Extensions.TryGetValue(MetadataMessage.ExtensionName, out byte remoteId) || handshake.MetadataSize is not { } size)
        {
            return MetadataProgress.Refused;
        }

        source.RemoteId = remoteId;
        source.Assembler = new MetadataAssembler(size);
        RequestPieces(source, output);
        return MetadataProgress.Pending;
    }

    private MetadataProgress OnMetadataMessage(MetadataSource source, MetadataMessage message, IBufferWriter<byte> output)
    {
        switch (message.Type)
        {
            case MetadataMessageType.Request:
                // We have nothing to serve yet; a peer that never said its id cannot be answered.
                if (source.RemoteId != 0)
                {
                    Send(source, MetadataMessage.Reject(message.Piece), output);
                }

                return MetadataProgress.Pending;
            case MetadataMessageType.Reject:
                return MetadataProgress.Refused;
        }

        MetadataAssembler assembler = source.Assembler
            ?? throw new PeerProtocolException("ut_metadata data before an extension handshake with metadata_size");
        assembler.Add(message);
        source.Outstanding = Math.Max(0, source.Outstanding - 1);
        if (!assembler.IsComplete)
        {
            RequestPieces(source, output);
            return MetadataProgress.Pending;
        }

        if (!assembler.Matches(expected))
        {
            return MetadataProgress.Corrupt;
        }

        Metadata = assembler.Bytes;
        return MetadataProgress.Complete;
    }

    private static void RequestPieces(MetadataSource source, IBufferWriter<byte> output)
    {
        while (source.Outstanding < MaxOutstanding && source.Assembler!.TakeNextRequest() is { } piece)
        {
            source.Outstanding++;
            Send(source, MetadataMessage.Request(piece), output);
        }
    }

    private static void Send(MetadataSource source, MetadataMessage message, IBufferWriter<byte> output) =>
        PeerMessageWriter.WriteExtended(output, source.RemoteId, message.Encode());
}
