using System.Security.Cryptography;

namespace Shoal.Tracker.Accounts;

/// <summary>PBKDF2-HMAC-SHA256 with 600,000 iterations (OWASP 2023) and a 16-byte salt per user.</summary>
internal sealed class PasswordHashing : IDisposable
{
    public const int Iterations = 600_000;
    public const int SaltBytes = 16;
    private const int HashBytes = 32;

    // A hash costs a core about 0.3 s: at most all cores but one hash at once, so announces are
    // still answered while many logins arrive.
    private readonly SemaphoreSlim _slots = new(Math.Max(1, Environment.ProcessorCount - 1));

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    public async Task<byte[]> HashAsync(string password, byte[] salt, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<bool> VerifyAsync(string password, byte[] salt, byte[] expected, CancellationToken cancellationToken) =>
        CryptographicOperations.FixedTimeEquals(await HashAsync(password, salt, cancellationToken).ConfigureAwait(false), expected);

    public void Dispose() => _slots.Dispose();
}
