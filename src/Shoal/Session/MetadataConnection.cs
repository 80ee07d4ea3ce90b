using System.Buffers;
using Shoal.Net.Streams;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// Moves one connection's messages between its stream and a <see cref="MagnetFetcher"/> until the
/// fetcher decides about the peer, the peer leaves, or the fetch is cancelled.
/// </summary>
internal static class MetadataConnection
{
    private const int InitialBufferSize = 64 * 1024;

    public static async Task<MetadataProgress> RunAsync(IPeerStream stream, MagnetFetcher fetcher, MagnetSource source, Lock gate, CancellationToken cancellationToken)
    {
        try
        {
            return await ExchangeAsync(stream, fetcher, source, gate, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                MagnetFetcher.OnClosed(source);
            }
        }
    }

    private static async Task<MetadataProgress> ExchangeAsync(IPeerStream stream, MagnetFetcher fetcher, MagnetSource source, Lock gate, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>();
        MagnetFetcher.WriteHandshake(output);
        await stream.SendAsync(output.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
        output.ResetWrittenCount();

        var reader = new PeerMessageReader();
        byte[] buffer = new byte[InitialBufferSize];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // The reader already refused a message longer than its limit, so the buffer stays bounded.
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, reader.MaxMessageLength + 4));
            }

            int received = await stream.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                return MetadataProgress.Refused;
            }

            filled += received;
            var pending = new ReadOnlySequence<byte>(buffer, 0, filled);
            MetadataProgress progress = MetadataProgress.Pending;
            lock (gate)
            {
                while (progress == MetadataProgress.Pending && reader.TryRead(ref pending, out PeerMessage message))
                {
                    progress = fetcher.OnMessage(source, message, output);
                }
            }

            if (progress != MetadataProgress.Pending)
            {
                return progress;
            }

            int consumed = filled - (int)pending.Length;
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            if (output.WrittenCount > 0)
            {
                await stream.SendAsync(output.WrittenSpan.ToArray(), cancellationToken).ConfigureAwait(false);
                output.ResetWrittenCount();
            }
        }
    }
}
