namespace Shoal.Tests.Fuzzing;

/// <summary>Deterministic byte-level mutations in the style of coverage-less fuzzers.</summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] Interesting = "ield:-0123456789e\0\xff/."u8.ToArray();
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        int rounds = 1 + _random.Next(4);
        for (int i = 0; i < rounds; i++)
        {
            MutateOnce(bytes);
        }

        return [.. bytes];
    }

    public byte[] RandomBytes(int maxLength)
    {
        var bytes = new byte[_random.Next(maxLength + 1)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = _random.Next(3) == 0 ? Interesting[_random.Next(Interesting.Length)] : (byte)_random.Next(256);
        }

        return bytes;
    }

    private void MutateOnce(List<byte> bytes)
    {
        int position = bytes.Count == 0 ? 0 : _random.Next(bytes.Count);
        switch (_random.Next(8))
        {
            case 0 when bytes.Count > 0:
                bytes[position] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[position] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2:
                bytes.Insert(position, Interesting[_random.Next(Interesting.Length)]);
                break;
            case 3 when bytes.Count > 0:
                bytes.RemoveRange(position, Math.Min(bytes.Count - position, 1 + _random.Next(16)));
                break;
            case 4:
                bytes.RemoveRange(position, bytes.Count - position);
                break;
            case 5 when bytes.Count > 0:
                int length = Math.Min(bytes.Count - position, 1 + _random.Next(64));
                bytes.InsertRange(_random.Next(bytes.Count), bytes.GetRange(position, length));
                break;
            case 6 when bytes.Count > 0:
                // Replace a run of digits with a large or odd number, to hit length and integer checks.
                string number = _random.Next(4) switch { 0 => "99999999999", 1 => "-1", 2 => "0", _ => _random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) };
                bytes.InsertRange(position, System.Text.Encoding.ASCII.GetBytes(number));
                break;
            default:
                if (bytes.Count > 0)
                {
                    bytes[position] = (byte)_random.Next(256);
                }

                break;
        }
    }
}
