using System.Security.Cryptography.X509Certificates;
using Shoal.Net;

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
            return PemCertificate.Load(certificate, options.TlsKeyFile, "the API's TLS certificate");
        }
        catch (NetworkException e)
        {
            throw new NodeException(e.Message, e);
        }
    }
}
