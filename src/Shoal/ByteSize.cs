using System.Globalization;

namespace Shoal;

/// <summary>Reads sizes such as 262144, 256K, 256KiB, 4M or 1GiB (binary multiples).</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30),
        ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes)
    {
        string trimmed = text.Trim();
        long factor = 1;
        foreach (var (suffix, value) in Suffixes)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length];
                factor = value;
                break;
            }
        }

        bytes = 0;
        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > long.MaxValue / factor)
        {
            return false;
        }

        bytes = number * factor;
        return true;
    }

    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value.ToString(value < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
