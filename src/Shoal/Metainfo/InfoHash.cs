using System.Buffers.Binary;

namespace Shoal.Metainfo;

/// <summary>
/// An info-hash: 20 bytes (v1, SHA-1 of the info dictionary) or 32 bytes (v2, SHA-256, BEP 52).
/// Compared by content.
/// </summary>
public sealed class InfoHash : IEquatable<InfoHash>
{
    public const int V1Length = 20;
    public const int V2Length = 32;

    private readonly byte[] _bytes;

    public InfoHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (V1Length or V2Length))
        {
            throw new ArgumentException($"an info-hash is {V1Length} or {V2Length} bytes, not {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Span => _bytes;

    public int Length => _bytes.Length;

    public bool IsV2 => _bytes.Length == V2Length;

    /// <summary>The first 20 bytes: the form v2 hashes take in handshakes and tracker requests (BEP 52).</summary>
    public InfoHash Truncated => IsV2 ? new InfoHash(_bytes.AsSpan(0, V1Length)) : this;

    public static InfoHash FromHex(string hex) => new(Convert.FromHexString(hex));

    public string ToHex() => Convert.ToHexStringLower(_bytes);

    public override string ToString() => ToHex();

    public bool Equals(InfoHash? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as InfoHash);

    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(_bytes);
}
