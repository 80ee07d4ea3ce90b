using System.Net;
using System.Security.Cryptography;

namespace Shoal.Discovery.Dht;

/// <summary>
/// BEP 5 announce tokens: SHA-1 of the querier's IP and a secret that rotates every five minutes; tokens made
/// with the current or the previous secret are accepted, so a token lives between five and ten minutes.
/// </summary>
internal sealed class TokenSecrets(TimeProvider time)
{
    public static readonly TimeSpan RotateEvery = TimeSpan.FromMinutes(5);
    private const int SecretSize = 16;
    private const int TokenSize = 8;

    private byte[] _current = RandomNumberGenerator.GetBytes(SecretSize);
    private byte[] _previous = RandomNumberGenerator.GetBytes(SecretSize);
    private DateTimeOffset _rotated = time.GetUtcNow();

    public byte[] Create(IPAddress address)
    {
        Rotate();
        return Token(address, _current);
    }

    public bool IsValid(ReadOnlySpan<byte> token, IPAddress address)
    {
        Rotate();
        return CryptographicOperations.FixedTimeEquals(token, Token(address, _current))
            || CryptographicOperations.FixedTimeEquals(token, Token(address, _previous));
    }

    private void Rotate()
    {
        DateTimeOffset now = time.GetUtcNow();
        while (now - _rotated >= RotateEvery)
        {
            _previous = _current;
            _current = RandomNumberGenerator.GetBytes(SecretSize);
            _rotated += RotateEvery;
        }
    }

    private static byte[] Token(IPAddress address, byte[] secret)
    {
        Span<byte> input = stackalloc byte[16 + SecretSize];
        address.TryWriteBytes(input, out int written);
        secret.CopyTo(input[written..]);
        return SHA1.HashData(input[..(written + SecretSize)])[..TokenSize];
    }
}
