using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Tests;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Http;

/// <summary><c>--tls-cert</c>/<c>--tls-key</c>: announces, scrapes and the JSON API over HTTPS only.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_tracker_with_a_certificate_answers_announces_and_the_api_over_https_only()
    {
        using X509Certificate2 certificate = SelfSigned();
        string certificateFile = _folder.File("tls/cert.pem", Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        string keyFile = _folder.File("tls/key.pem", Encoding.ASCII.GetBytes(certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { TlsCertificateFile = certificateFile, TlsKeyFile = keyFile });
        Uri announce = tracker.Host.HttpAnnounceUrl();
        Assert.Equal("https", announce.Scheme);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var https = new HttpClient(handler);
        InfoHash hash = RunningTracker.RandomHash();
        var client = new HttpTrackerClient(announce, https);
        await client.AnnounceAsync(RunningTracker.Request(hash, 7001), CancellationToken.None);
        AnnounceResponse answer = await client.AnnounceAsync(RunningTracker.Request(hash, 7002), CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7001), Assert.Single(answer.Peers));

        var accounts = new TrackerAccountClient(new Uri(announce, "/"), https);
        await accounts.CreateUserAsync(new Credentials("alice", "a long enough password"), CancellationToken.None);
        LoginResult login = await accounts.LoginAsync(new Credentials("alice", "a long enough password"), CancellationToken.None);
        Assert.Equal("alice", (await new TrackerAccountClient(new Uri(announce, "/"), https, login.Token).GetAccountAsync(CancellationToken.None)).Name);

        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{tracker.Port}/api/files")));
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_is_one_clear_error()
    {
        string certificateFile = _folder.File("tls/cert.pem", "not a certificate"u8.ToArray());

        NetworkException refused = await Assert.ThrowsAsync<NetworkException>(() => RunningTracker.StartAsync(configure: o => o with { TlsCertificateFile = certificateFile }));

        Assert.StartsWith($"cannot use {certificateFile} as the tracker's TLS certificate: ", refused.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=shoal-tracker-test", key, HashAlgorithmName.SHA256);
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
