using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shoal.Node.Api;
using Shoal.Node.Events;
using Shoal.Node.Groups;
using Shoal.Node.Metrics;
using Shoal.Node.Security;
using Shoal.Node.Settings;
using Shoal.Node.Storage;
using Shoal.Node.Torrents;
using Shoal.Node.Web;
using Shoal.Session;
using Shoal.Storage;

namespace Shoal.Node;

/// <summary>
/// A running node: one <see cref="ShoalSession"/> for all its torrents, the store that brings them back
/// after a restart, and the HTTP API on loopback. <c>shoal node</c> runs one until stopped; tests embed one.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    public const string EndpointFileName = "api-endpoint";

    private readonly WebApplication _web;
    private readonly ShoalSession _session;
    private readonly NodeStore _store;
    private readonly NodeEvents _events;

    private NodeHost(WebApplication web, ShoalSession session, NodeStore store, NodeTorrents torrents, NodeEvents events, ApiToken token, Uri apiUrl)
    {
        _web = web;
        _session = session;
        _store = store;
        _events = events;
        Torrents = torrents;
        Token = token;
        ApiUrl = apiUrl;
    }

    public Uri ApiUrl { get; }

    /// <summary>The link that logs a browser in: it carries the token, so it is shown only to the node's owner.</summary>
    public Uri WebLoginUrl => new(ApiUrl, $"{NodeAuthentication.LoginPath}?token={Token.Value}");

    public ApiToken Token { get; }

    public NodeTorrents Torrents { get; }

    public ShoalSession Session => _session;

    /// <summary>Opens the store, starts the session with every stored torrent in its state, then the API.</summary>
    public static async Task<NodeHost> StartAsync(NodeOptions options, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!IPAddress.IsLoopback(options.Api.Address) && !options.InsecureBind && options.TlsCertificateFile is null)
        {
            throw new NodeException($"the API would listen on {options.Api} without TLS, where others can read its token: use a loopback address, configure Node:TlsCertificate, or give --insecure-bind");
        }

        X509Certificate2? certificate = ApiCertificate.Load(options);

        Directory.CreateDirectory(options.DataDirectory);
        ApiToken token = ApiToken.LoadOrCreate(options.DataDirectory);
        NodeStore store = NodeStore.Open(Path.Combine(options.DataDirectory, "node.db"));
        LiveSettings settings = LiveSettings.Load(store, options);
        ShoalSession? session = null;
        NodeTorrents? torrents = null;
        NodeEvents? events = null;
        WebApplication? web = null;
        try
        {
            Shoal.Session.SessionOptions sessionOptions = settings.ApplyTo(options.Session, options.DhtWhenTurnedOn);
            session = ShoalSession.Start(sessionOptions with
            {
                StateDirectory = Path.Combine(options.DataDirectory, "resume"),
                // The node's own routing table, so a `shoal share` running beside it does not overwrite it.
                Dht = sessionOptions.Dht is { } dht ? dht with { StateFile = Path.Combine(options.DataDirectory, "dht-nodes.dat"), KeepNodeId = true } : null,
                Loggers = loggers,
            });
            var login = new NodeLogin(options.ConfigDirectory, options.Session.Time);
            torrents = new NodeTorrents(session, store, login, options.Session.Time, loggers.CreateLogger<NodeTorrents>());
            torrents.Restore();
            events = NodeEvents.Start(torrents, session, options.Session.Time, loggers.CreateLogger<NodeEvents>());
            web = BuildWeb(options, certificate, new NodeParts(token, session, torrents, settings, events, login), loggers);
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            var url = new Uri($"{(certificate is null ? "http" : "https")}://{new IPEndPoint(options.Api.Address, ListeningPort(web))}/");
            // Written whole or not at all: a `shoal list` reading it at this moment sees the old address or the new.
            await AtomicFile.WriteAllBytesAsync(Path.Combine(options.DataDirectory, EndpointFileName), Encoding.UTF8.GetBytes(url + "\n"), cancellationToken).ConfigureAwait(false);
            return new NodeHost(web, session, store, torrents, events, token, url);
        }
        catch (Exception e)
        {
            if (web is not null)
            {
                await web.DisposeAsync().ConfigureAwait(false);
            }

            if (events is not null)
            {
                await events.DisposeAsync().ConfigureAwait(false);
            }

            torrents?.Dispose();
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            store.Dispose();
            if (e is IOException { InnerException: { } inner } && inner.GetType().Name == "AddressInUseException")
            {
                throw new NodeException($"cannot listen on {options.Api} for the API: it is in use (is another node running?)", e);
            }

            throw;
        }
    }

    /// <summary>Stops the API, then every torrent cleanly (resume data saved, <c>stopped</c> announced).</summary>
    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
        await _events.DisposeAsync().ConfigureAwait(false);
        Torrents.Dispose();
        await _session.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }

    private static WebApplication BuildWeb(NodeOptions options, X509Certificate2? certificate, NodeParts parts, ILoggerFactory loggers)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Shoal.Node", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        // Made and disposed by the web app, which alone uses it: the Groups view's calls to the login's tracker.
        builder.Services.AddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        builder.Services.AddNodeMetrics();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, NodeJsonContext.Api));
        builder.Services.AddOpenApi("v1", openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new() { Title = "Shoal node API", Version = "v1", Description = "See docs/node.md. Send Authorization: Bearer TOKEN (DATA/api-token)." };
            return Task.CompletedTask;
        }));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Api, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.Limits.MaxRequestBodySize = AddTorrentEndpoint.MaxTorrentBytes + (64 * 1024);
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });

        WebApplication web = builder.Build();
        var browser = new BrowserSession(parts.Token, secure: certificate is not null);
        web.Use(new HostCheck(options.Api.Address, options.HostNames).InvokeAsync);
        web.Use(new NodeAuthentication(parts.Token, browser).InvokeAsync);
        web.Use(new ApiErrors(loggers.CreateLogger("Shoal.Node.Api")).InvokeAsync);
        web.MapGet(NodeAuthentication.LoginPath, browser.Login);
        NodeRoutes.Map(web, parts, new ShareRoots(options.ShareRoots), web.Services.GetRequiredService<HttpClient>());
        web.MapNodeMetrics(parts.Torrents);
        web.MapOpenApi(NodeRoutes.OpenApiPath);
        WebUi.Map(web);
        return web;
    }

    private static int ListeningPort(WebApplication web)
    {
        string address = web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address).Port;
    }
}
