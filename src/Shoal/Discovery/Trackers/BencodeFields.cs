using Shoal.Bencoding;

namespace Shoal.Discovery.Trackers;

/// <summary>Typed reads of tracker response fields that turn every malformation into a <see cref="TrackerProtocolException"/>.</summary>
internal static class BencodeFields
{
    public static BDictionary DecodeDictionary(ReadOnlyMemory<byte> body, BencodeLimits limits)
    {
        try
        {
            return BencodeDecoder.DecodeDictionary(body, limits);
        }
        catch (BencodeException e)
        {
            throw new TrackerProtocolException($"malformed bencoding: {e.Message}");
        }
    }

    /// <summary>A non-negative integer that fits an <see cref="int"/>, or <see langword="null"/> when absent.</summary>
    public static int? Int(BValue? value, string name) => value switch
    {
        null => null,
        BInteger { Value: >= 0 and <= int.MaxValue } integer => (int)integer.Value,
        BInteger => throw new TrackerProtocolException($"{name} is out of range"),
        _ => throw new TrackerProtocolException($"{name} is not an integer"),
    };

    public static string Text(BValue value, string name) =>
        value is BString text ? text.Text : throw new TrackerProtocolException($"{name} is not a string");

    public static string? OptionalText(BValue? value, string name) => value is null ? null : Text(value, name);
}
