namespace Shoal.Bencoding;

/// <summary>Malformed bencoded data. The message says what is wrong and at which byte offset.</summary>
public sealed class BencodeException : FormatException
{
    public BencodeException(string problem, long offset)
        : base($"{problem} at byte {offset}")
    {
        Offset = offset;
    }

    public long Offset { get; }
}
