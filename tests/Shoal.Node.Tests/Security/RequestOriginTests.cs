using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Security;

/// <summary>Who may reach the node: the Host check against DNS rebinding, TLS for a non-loopback address, share roots.</summary>
public sealed class RequestOriginTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("evil.example", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1.nip.io", HttpStatusCode.Forbidden)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("LOCALHOST", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("shoal.home.arpa", HttpStatusCode.OK)]
    public async Task Only_the_listening_address_localhost_and_configured_names_are_answered(string host, HttpStatusCode expected)
    {
        NodeOptions options = TestNode.Options(_folder.Path) with { HostNames = ["shoal.home.arpa"] };
        await using NodeHost node = await NodeHost.StartAsync(options, NullLoggerFactory.Instance);
        using HttpClient client = TestNode.Client(node);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/torrents", UriKind.Relative));
        request.Headers.Host = $"{host}:{node.ApiUrl.Port}";

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_non_loopback_address_is_allowed_with_a_tls_certificate_and_answers_https_only()
    {
        using X509Certificate2 certificate = SelfSigned();
        string certificateFile = _folder.File("tls/cert.pem", System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        string keyFile = _folder.File("tls/key.pem", System.Text.Encoding.ASCII.GetBytes(certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
        NodeOptions options = TestNode.Options(_folder.Path) with { Api = new IPEndPoint(IPAddress.Any, 0), TlsCertificateFile = certificateFile, TlsKeyFile = keyFile };

        await using NodeHost node = await NodeHost.StartAsync(options, NullLoggerFactory.Instance);

        Assert.Equal("https", node.ApiUrl.Scheme);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{node.ApiUrl.Port}/") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", node.Token.Value);
        (HttpStatusCode status, _) = await SendAsync(client, HttpMethod.Get, "api/v1/torrents");
        Assert.Equal(HttpStatusCode.OK, status);

        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.ApiUrl.Port}/") };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri("api/v1/torrents", UriKind.Relative)));
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_is_one_clear_error()
    {
        NodeOptions options = TestNode.Options(_folder.Path) with { TlsCertificateFile = _folder.File("tls/cert.pem", "not a certificate"u8.ToArray()) };

        NodeException refused = await Assert.ThrowsAsync<NodeException>(() => NodeHost.StartAsync(options, NullLoggerFactory.Instance));

        Assert.Contains("cert.pem", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_share_outside_the_share_roots_is_refused_even_through_a_symbolic_link()
    {
        string inside = _folder.File("roots/inside/ok.bin", TempFolder.RandomBytes(10_000, 1));
        string outside = _folder.File("elsewhere/secret.bin", TempFolder.RandomBytes(10_000, 2));
        string link = Path.Combine(_folder.Path, "roots", "inside", "link-to-elsewhere");
        Directory.CreateSymbolicLink(link, Path.GetDirectoryName(outside)!);
        NodeOptions options = TestNode.Options(_folder.Path) with { ShareRoots = [Path.Combine(_folder.Path, "roots")] };
        await using NodeHost node = await NodeHost.StartAsync(options, NullLoggerFactory.Instance);
        using HttpClient client = TestNode.Client(node);

        (HttpStatusCode direct, var directBody) = await AddJsonAsync(client, new { share = outside });
        (HttpStatusCode linked, _) = await AddJsonAsync(client, new { share = Path.Combine(link, "secret.bin") });
        (HttpStatusCode allowed, _) = await AddJsonAsync(client, new { share = inside });

        Assert.Equal(HttpStatusCode.Forbidden, direct);
        Assert.Contains("Node:ShareRoots", directBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, linked);
        Assert.Equal(HttpStatusCode.Created, allowed);
    }

    public void Dispose() => _folder.Dispose();

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=shoal-test", key, HashAlgorithmName.SHA256);
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
