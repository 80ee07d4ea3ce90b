using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Shoal.Tracker.Accounts;

/// <summary>
/// The random secrets of a login. The store keeps only their SHA-256: they are long and random, so a
/// plain hash suffices, and a leaked database gives nobody a usable token or passkey.
/// </summary>
internal static class SessionSecrets
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewPasskey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
