using System.Text;

namespace Shoal.Swarm;

/// <summary>Peer ids for people: printable ASCII kept, other bytes as %XX.</summary>
public static class PeerIdText
{
    public static string Format(ReadOnlySpan<byte> peerId)
    {
        var text = new StringBuilder(peerId.Length);
        foreach (byte b in peerId)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
