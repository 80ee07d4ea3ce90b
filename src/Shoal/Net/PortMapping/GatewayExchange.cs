using System.Net;
using System.Net.Sockets;

namespace Shoal.Net.PortMapping;

/// <summary>Reads a gateway's answer; null for a datagram that is not the answer, which is ignored.</summary>
internal delegate T? GatewayAnswerReader<T>(ReadOnlySpan<byte> packet)
    where T : class;

/// <summary>
/// One request to a gateway over UDP and its answer, sent again while unanswered (<see cref="GatewayRetransmission"/>).
/// The socket is connected to the gateway, so only datagrams from its address and port are read (RFC 6886 3.1,
/// RFC 6887 8.3), and a gateway that has nothing on the port fails at once on its ICMP "port unreachable".
/// </summary>
internal sealed class GatewayExchange(IPEndPoint gateway, string method, TimeProvider time, GatewayRetransmission retransmission)
{
    // RFC 6886 and RFC 6887 answers are at most 1100 bytes (PCP's maximum message size).
    private const int MaxAnswer = 1100;

    public IPEndPoint Gateway => gateway;

    public async Task<T> SendAsync<T>(byte[] request, GatewayAnswerReader<T> read, CancellationToken cancel)
        where T : class
    {
        using var socket = new Socket(gateway.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var buffer = new byte[MaxAnswer];
        try
        {
            await socket.ConnectAsync(gateway, cancel).ConfigureAwait(false);
            TimeSpan wait = retransmission.First;
            for (int attempt = 0; attempt < retransmission.Attempts; attempt++, wait *= 2)
            {
                await socket.SendAsync(request, SocketFlags.None, cancel).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(wait, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
                try
                {
                    while (true)
                    {
                        int length = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
                        if (read(buffer.AsSpan(0, length)) is { } answer)
                        {
                            return answer;
                        }
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
                {
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            throw new PortMappingException($"{method}: nothing listens on the gateway's port {gateway} (the router does not speak {method})", e);
        }
        catch (SocketException e)
        {
            throw new PortMappingException($"{method}: cannot reach the gateway {gateway}: {e.Message}", e);
        }

        throw new PortMappingException($"{method}: the gateway {gateway} did not answer in {retransmission.Total.TotalSeconds:0.##} s (the router may not speak {method}, or has it turned off)");
    }
}
