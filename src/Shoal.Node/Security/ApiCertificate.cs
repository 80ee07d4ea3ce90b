using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shoal.Node.Security;

/// <summary>The API's TLS certificate, from the PEM files the settings name.</summary>
internal static class ApiCertificate
{
    public static X509Certificate2? Load(NodeOptions options)
    {
        if (options.TlsCertificateFile is not { } certificate)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, options.TlsKeyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new NodeException($"cannot use {certificate} as the API's TLS certificate: {e.Message}", e);
        }
    }
}
