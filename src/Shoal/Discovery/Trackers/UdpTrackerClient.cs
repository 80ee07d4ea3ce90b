using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// A UDP tracker (BEP 15). Each request first needs a connection id, got by a connect exchange
/// and reused for <see cref="UdpTrackerOptions.ConnectionIdLifetime"/>. Every exchange has its own
/// random transaction id and ignores packets that carry another; a request is sent again after
/// <see cref="UdpTrackerOptions.BaseTimeout"/> · 2<sup>n</sup> (n = 0, 1, … up to 8), at most
/// <see cref="UdpTrackerOptions.MaxAttempts"/> times. The tracker's host name is resolved with
/// <see cref="Dns"/>; peers are read as IPv4 or IPv6 by the family of the address the tracker is
/// reached at. An error packet is the tracker's <c>failure reason</c>, returned in the response.
/// </summary>
public sealed class UdpTrackerClient : ITrackerClient
{
    /// <summary>The largest UDP payload: an answer is read whole, whatever its size.</summary>
    private const int ReceiveBufferSize = 65_536;

    /// <summary>BEP 15 stops doubling the timeout at n = 8.</summary>
    private const int MaxBackoffExponent = 8;

    private readonly TimeProvider _time;
    private readonly UdpTrackerOptions _options;
    private readonly Lock _lock = new();
    private long _connectionId;
    private long _connectedAt;
    private bool _connected;

    /// <summary>A client of the tracker at <paramref name="udpUrl"/> (<c>udp://host:port</c>, a path is ignored).</summary>
    public UdpTrackerClient(Uri udpUrl, TimeProvider time, UdpTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(udpUrl);
        ArgumentNullException.ThrowIfNull(time);
        if (!udpUrl.IsAbsoluteUri || udpUrl.Scheme != "udp" || udpUrl.Port is < 1 or > 65535 || udpUrl.DnsSafeHost.Length == 0)
        {
            throw new ArgumentException("a UDP tracker URL is udp://host:port", nameof(udpUrl));
        }

        options ??= UdpTrackerOptions.Default;
        if (options.MaxAttempts < 1 || options.BaseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("a UDP tracker needs at least one attempt and a positive timeout", nameof(options));
        }

        Url = udpUrl;
        _time = time;
        _options = options;
    }

    /// <inheritdoc/>
    public Uri Url { get; }

    /// <inheritdoc/>
    public async Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PeerId.Length != AnnounceRequest.IdLength)
        {
            throw new ArgumentException($"a peer id is {AnnounceRequest.IdLength} bytes", nameof(request));
        }

        uint ip = request.IP is { AddressFamily: AddressFamily.InterNetwork } address
            ? BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
            : 0;
        uint key = KeyOf(request.Key);
        using Socket socket = await OpenAsync(ct).ConfigureAwait(false);
        UdpTrackerMessage reply = await ExchangeAsync(
            socket,
            UdpTrackerAction.Announce,
            (connectionId, transactionId, buffer) => UdpTrackerCodec.WriteAnnounceRequest(buffer, new UdpAnnounceRequest(
                connectionId,
                transactionId,
                request.InfoHash,
                request.PeerId,
                request.Downloaded,
                request.Left,
                request.Uploaded,
                request.Event,
                ip,
                key,
                request.NumWant ?? -1,
                (ushort)request.Port)),
            ct).ConfigureAwait(false);
        return reply switch
        {
            UdpErrorResponse error => AnnounceResponse.Failure(error.Message),
            UdpAnnounceResponse answer => new AnnounceResponse
            {
                Interval = answer.Interval,
                Complete = answer.Seeders,
                Incomplete = answer.Leechers,
                Peers = answer.Peers.Select(IPv4Mapping.Unmap).ToArray(),
            },
            _ => throw new TrackerException($"{Url}: answered an announce with {reply.GetType().Name}"),
        };
    }

    /// <inheritdoc/>
    /// <remarks>More than 74 info-hashes (BEP 15's limit for one packet) are scraped in several requests.</remarks>
    public async Task<ScrapeResponse> ScrapeAsync(IReadOnlyList<InfoHash> infoHashes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        if (infoHashes.Count == 0)
        {
            throw new ArgumentException("a UDP scrape names at least one info-hash", nameof(infoHashes));
        }

        using Socket socket = await OpenAsync(ct).ConfigureAwait(false);
        var files = new Dictionary<InfoHash, ScrapeStats>();
        foreach (InfoHash[] batch in infoHashes.Chunk(UdpTrackerCodec.MaxScrapeInfoHashes))
        {
            UdpTrackerMessage reply = await ExchangeAsync(
                socket,
                UdpTrackerAction.Scrape,
                (connectionId, transactionId, buffer) => UdpTrackerCodec.WriteScrapeRequest(buffer, new UdpScrapeRequest(connectionId, transactionId, batch)),
                ct).ConfigureAwait(false);
            switch (reply)
            {
                case UdpErrorResponse error:
                    return new ScrapeResponse { FailureReason = error.Message };
                case UdpScrapeResponse answer when answer.Stats.Count == batch.Length:
                    for (int i = 0; i < batch.Length; i++)
                    {
                        files[batch[i].Truncated] = answer.Stats[i];
                    }

                    break;
                case UdpScrapeResponse answer:
                    throw new TrackerException($"{Url}: scrape answered with {answer.Stats.Count} entries for {batch.Length} info-hashes");
                default:
                    throw new TrackerException($"{Url}: answered a scrape with {reply.GetType().Name}");
            }
        }

        return new ScrapeResponse { Files = files };
    }

    /// <summary>Forgets the connection id, so that the next request connects again.</summary>
    public void ResetConnection()
    {
        lock (_lock)
        {
            _connected = false;
        }
    }

    /// <summary>Forgets <paramref name="connectionId"/> unless another request has already replaced it.</summary>
    private void ForgetConnection(long connectionId)
    {
        lock (_lock)
        {
            _connected &= _connectionId != connectionId;
        }
    }

    /// <summary>
    /// A BEP 15 <c>key</c> from the request's: 8 hex digits are read as the number, any other text is
    /// hashed (FNV-1a over its UTF-8), none is 0.
    /// </summary>
    internal static uint KeyOf(string? key)
    {
        if (key is null)
        {
            return 0;
        }

        if (key.Length is > 0 and <= 8 && uint.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint number))
        {
            return number;
        }

        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return hash;
    }

    /// <summary>Resolves the tracker and opens a UDP socket connected to it, so that only its packets are received.</summary>
    private async Task<Socket> OpenAsync(CancellationToken ct)
    {
        IPEndPoint remote = await ResolveAsync(ct).ConfigureAwait(false);
        var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(remote);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TrackerException($"{Url}: cannot reach {remote}: {e.Message}", e);
        }
    }

    private async Task<IPEndPoint> ResolveAsync(CancellationToken ct)
    {
        string host = Url.DnsSafeHost;
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            return new IPEndPoint(IPv4Mapping.Unmap(literal), Url.Port);
        }

        using var timeout = new CancellationTokenSource(_options.ResolveTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TrackerException($"{Url}: cannot resolve {host} within {_options.ResolveTimeout.TotalSeconds:0.###} s", e);
        }
        catch (SocketException e)
        {
            throw new TrackerException($"{Url}: cannot resolve {host}: {e.Message}", e);
        }

        IPAddress address = addresses.Select(IPv4Mapping.Unmap).FirstOrDefault(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            ?? throw new TrackerException($"{Url}: {host} has no IP address");
        return new IPEndPoint(address, Url.Port);
    }

    /// <summary>
    /// Sends the request built by <paramref name="write"/> (given the connection id and the transaction
    /// id) until an answer with the same transaction id comes, connecting first when the connection id
    /// is missing or expired. Returns the answer of the expected action or an error packet.
    /// </summary>
    private async Task<UdpTrackerMessage> ExchangeAsync(Socket socket, UdpTrackerAction action, Func<long, int, byte[], int> write, CancellationToken ct)
    {
        int transactionId = RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        byte[] packet = new byte[UdpTrackerCodec.ScrapeRequestHeaderLength + (AnnounceRequest.IdLength * UdpTrackerCodec.MaxScrapeInfoHashes)];
        byte[] buffer = new byte[ReceiveBufferSize];
        bool retriedError = false;
        for (int attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            long connectionId = UdpTrackerCodec.ProtocolId;
            bool reused = false;
            if (action != UdpTrackerAction.Connect)
            {
                (long id, bool wasReused, UdpErrorResponse? error) = await GetConnectionIdAsync(socket, ct).ConfigureAwait(false);
                if (error is not null)
                {
                    return error;
                }

                (connectionId, reused) = (id, wasReused);
            }

            int length = write(connectionId, transactionId, packet);
            TimeSpan wait = _options.BaseTimeout * (1 << Math.Min(attempt, MaxBackoffExponent));
            UdpTrackerMessage? reply;
            try
            {
                reply = await SendAndReceiveAsync(socket, packet.AsMemory(0, length), buffer, action, transactionId, wait, ct).ConfigureAwait(false);
            }
            catch (TrackerException) when (action != UdpTrackerAction.Connect)
            {
                ForgetConnection(connectionId);
                throw;
            }

            // A tracker that restarted no longer knows the ids it gave out: it answers them with an error
            // or not at all. Either way the id is dropped, and an error to a reused id is asked once more
            // with a new one, not counted as an attempt; an error to a new id is the tracker's answer.
            if (action != UdpTrackerAction.Connect && reply is null or UdpErrorResponse)
            {
                ForgetConnection(connectionId);
                if (reply is not null && reused && !retriedError)
                {
                    retriedError = true;
                    attempt--;
                    continue;
                }
            }

            if (reply is not null)
            {
                return reply;
            }
        }

        throw new TrackerException($"{Url}: no answer to {_options.MaxAttempts} {action.ToString().ToLowerInvariant()} requests");
    }

    /// <summary>The connection id to use, whether it was reused from an earlier exchange, or the tracker's error.</summary>
    private async Task<(long Id, bool Reused, UdpErrorResponse? Error)> GetConnectionIdAsync(Socket socket, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_connected && _time.GetElapsedTime(_connectedAt) < _options.ConnectionIdLifetime)
            {
                return (_connectionId, true, null);
            }
        }

        UdpTrackerMessage reply = await ExchangeAsync(
            socket,
            UdpTrackerAction.Connect,
            (_, transactionId, buffer) => UdpTrackerCodec.WriteConnectRequest(buffer, new UdpConnectRequest(transactionId)),
            ct).ConfigureAwait(false);
        switch (reply)
        {
            case UdpConnectResponse connected:
                lock (_lock)
                {
                    _connectionId = connected.ConnectionId;
                    _connectedAt = _time.GetTimestamp();
                    _connected = true;
                }

                return (connected.ConnectionId, false, null);
            case UdpErrorResponse error:
                return (0, false, error);
            default:
                throw new TrackerException($"{Url}: answered a connect with {reply.GetType().Name}");
        }
    }

    /// <summary>
    /// Sends the packet and waits up to <paramref name="wait"/> for the answer carrying
    /// <paramref name="transactionId"/>; <see langword="null"/> when none came in time.
    /// </summary>
    private async Task<UdpTrackerMessage?> SendAndReceiveAsync(
        Socket socket, ReadOnlyMemory<byte> packet, byte[] buffer, UdpTrackerAction action, int transactionId, TimeSpan wait, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await socket.SendAsync(packet, SocketFlags.None, linked.Token).ConfigureAwait(false);
            while (true)
            {
                int received = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (received < 8 || BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4)) != transactionId)
                {
                    continue; // not an answer to this request: a late answer to another, or noise
                }

                UdpTrackerMessage reply;
                try
                {
                    reply = UdpTrackerCodec.ReadResponse(buffer.AsSpan(0, received), socket.AddressFamily);
                }
                catch (TrackerProtocolException e)
                {
                    throw new TrackerException($"{Url}: not a tracker response: {e.Message}", e);
                }

                return reply is UdpErrorResponse || ActionOf(reply) == action
                    ? reply
                    : throw new TrackerException($"{Url}: answered a {action.ToString().ToLowerInvariant()} request with a {ActionOf(reply).ToString().ToLowerInvariant()} response");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException e)
        {
            throw new TrackerException($"{Url}: {(e.SocketErrorCode == SocketError.ConnectionRefused ? "unreachable (port closed)" : e.Message)}", e);
        }
    }

    private static UdpTrackerAction ActionOf(UdpTrackerMessage message) => message switch
    {
        UdpConnectResponse => UdpTrackerAction.Connect,
        UdpAnnounceResponse => UdpTrackerAction.Announce,
        UdpScrapeResponse => UdpTrackerAction.Scrape,
        _ => UdpTrackerAction.Error,
    };
}
