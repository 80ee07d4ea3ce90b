namespace Shoal.Bencoding;

public sealed class BInteger(long value) : BValue
{
    public long Value { get; } = value;

    public override void WriteTo(BencodeWriter writer) => writer.WriteInteger(Value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
