using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shoal.Net;

/// <summary>A TLS server certificate from PEM files, as the node's API and the tracker serve HTTPS with.</summary>
public static class PemCertificate
{
    /// <summary>
    /// Reads <paramref name="certificateFile"/> and its private key from <paramref name="keyFile"/>, or from
    /// the certificate file when null; a file that cannot be read or used is a <see cref="NetworkException"/>
    /// naming it and <paramref name="purpose"/>.
    /// </summary>
    public static X509Certificate2 Load(string certificateFile, string? keyFile, string purpose)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new NetworkException($"cannot use {certificateFile} as {purpose}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
