using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>
/// An attacker on one address (127.0.0.2: Linux routes all of 127/8 to loopback) opening many connections,
/// each with a handshake under a random peer id, and holding those the victim answers.
/// </summary>
internal sealed class SlotHogs : IDisposable
{
    private static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");
    private readonly List<Socket> _sockets = [];

    /// <summary>Opens <paramref name="count"/> connections; returns how many the victim answered with its handshake.</summary>
    public async Task<int> OpenAsync(IPEndPoint victim, InfoHashes hashes, int count, CancellationToken cancellationToken)
    {
        Task<bool>[] opening = [.. Enumerable.Range(0, count).Select(_ => OpenOneAsync(victim, hashes, cancellationToken))];
        bool[] answered = await Task.WhenAll(opening);
        return answered.Count(a => a);
    }

    public void Dispose() => _sockets.ForEach(s => s.Dispose());

    private async Task<bool> OpenOneAsync(IPEndPoint victim, InfoHashes hashes, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        lock (_sockets)
        {
            _sockets.Add(socket);
        }

        socket.Bind(new IPEndPoint(Address, 0));
        await socket.ConnectAsync(victim, cancellationToken);
        byte[] handshake = new byte[Handshake.Length];
        new Handshake(ReservedBits.Shoal, hashes.ForWire, RandomNumberGenerator.GetBytes(20)).WriteTo(handshake);
        await socket.SendAsync(handshake, SocketFlags.None, cancellationToken);
        try
        {
            await new NetworkStream(socket).ReadExactlyAsync(handshake, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return false;
        }
    }
}
