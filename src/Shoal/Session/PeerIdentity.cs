using System.Security.Cryptography;
using System.Text;

namespace Shoal.Session;

/// <summary>Our 20-byte peer id, Azureus style: "-SH0100-" (from the version) then 12 random bytes.</summary>
public static class PeerIdentity
{
    public static byte[] Create()
    {
        byte[] id = new byte[20];
        string digits = new([.. ShoalVersion.Version.Where(char.IsAsciiDigit).Take(4)]);
        Encoding.ASCII.GetBytes($"-SH{digits.PadRight(4, '0')}-", id);
        RandomNumberGenerator.Fill(id.AsSpan(8));
        return id;
    }
}
