using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Shoal.Net;
using Shoal.Tracker.Accounts;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Http;
using Shoal.Tracker.Index;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Metrics;
using Shoal.Tracker.Protocol;
using Shoal.Tracker.Storage;
using Shoal.Tracker.Swarms;
using Shoal.Tracker.Udp;
using Shoal.TrackerApi;

namespace Shoal.Tracker;

/// <summary>
/// A running tracker: HTTP (ASP.NET Core) and UDP on the same port number, over one store.
/// <c>shoal tracker</c> runs one until stopped; <c>shoal demo</c> and tests embed one.
/// </summary>
public sealed class TrackerHost : IAsyncDisposable
{
    private const int PortAttempts = 10;

    private readonly WebApplication _web;
    private readonly UdpTrackerServer _udp;
    private readonly OpenedTrackerStore _store;
    private readonly AddressRateLimiter _limiter;
    private readonly PasswordHashing _passwords;
    private readonly string _httpScheme;

    private TrackerHost(WebApplication web, UdpTrackerServer udp, OpenedTrackerStore store, AddressRateLimiter limiter, PasswordHashing passwords, IPAddress address, bool tls)
    {
        _httpScheme = tls ? "https" : "http";
        _web = web;
        _udp = udp;
        _store = store;
        _limiter = limiter;
        _passwords = passwords;
        Address = address;
    }

    /// <summary>The port number both HTTP and UDP listen on.</summary>
    public int Port => _udp.Port;

    public IPAddress Address { get; }

    public string StoreDescription => _store.Description;

    /// <summary>The HTTP announce URL on <paramref name="host"/> (the listen address when it is a specific one); https with TLS.</summary>
    public Uri HttpAnnounceUrl(string? host = null) => new($"{_httpScheme}://{HostPart(host)}:{Port}/announce");

    /// <summary>The UDP announce URL (BEP 15) on <paramref name="host"/>.</summary>
    public Uri UdpAnnounceUrl(string? host = null) => new($"udp://{HostPart(host)}:{Port}/announce");

    /// <summary>Opens the store and starts listening. Port 0 picks a port free for both TCP and UDP.</summary>
    public static async Task<TrackerHost> StartAsync(TrackerOptions options, ILoggerFactory loggers, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        // Request logging prints URLs, and /announce/PASSKEY holds a secret.
        loggers = new RedactingLoggerFactory(loggers);
        time ??= TimeProvider.System;
        X509Certificate2? certificate = options.TlsCertificateFile is { } file ? PemCertificate.Load(file, options.TlsKeyFile, "the tracker's TLS certificate") : null;
        OpenedTrackerStore store = await TrackerStores.OpenAsync(options, time, loggers, cancellationToken).ConfigureAwait(false);
        var limiter = new AddressRateLimiter(options.RequestsPerMinutePerAddress);
        var passwords = new PasswordHashing();
        var intervals = new AnnounceIntervals(options, store.StartedEmpty, time);
        try
        {
            GroupSwarms groupSwarms = await GroupSwarms.LoadAsync(store.Accounts, time, complete: !store.Shared, cancellationToken).ConfigureAwait(false);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    TrackerHost host = await ListenAsync(options, certificate, store, groupSwarms, intervals, limiter, passwords, loggers, time, cancellationToken).ConfigureAwait(false);
                    ILogger logger = loggers.CreateLogger<TrackerHost>();
                    TrackerLog.Listening(logger, options.ListenAddress, host.Port, store.Description, options.Closed ? "closed" : "open");
                    if (intervals.RefillUntil is { } until)
                    {
                        TrackerLog.RefillingSwarms(logger, intervals.RefillSeconds, until);
                    }

                    return host;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && options.Port == 0 && attempt < PortAttempts)
                {
                    // The port Kestrel was given is taken for UDP: try another.
                }
            }
        }
        catch
        {
            limiter.Dispose();
            passwords.Dispose();
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync().ConfigureAwait(false);
        await _udp.DisposeAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _limiter.Dispose();
        _passwords.Dispose();
    }

    private string HostPart(string? host)
    {
        host ??= Address.Equals(IPAddress.IPv6Any) || Address.Equals(IPAddress.Any) ? "127.0.0.1" : Address.ToString();
        return IPAddress.TryParse(host, out IPAddress? ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
    }

    private static async Task<TrackerHost> ListenAsync(
        TrackerOptions options, X509Certificate2? certificate, OpenedTrackerStore store, GroupSwarms groupSwarms, AnnounceIntervals intervals, AddressRateLimiter limiter, PasswordHashing passwords, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var registered = new RegisteredSwarms(store.Files, time);
        var tracker = new TrackerService(options, intervals, store.Swarms, registered, groupSwarms);
        var index = new FileIndexService(
            store.Files, store.Swarms, registered, new RegistrationLimits(options, store.Files, time), time, loggers.CreateLogger<FileIndexService>());
        ILogger accountLog = loggers.CreateLogger("Shoal.Tracker.Accounts");
        var accounts = new AccountService(store.Accounts, passwords, new LoginThrottle(time), time, accountLog);
        var groups = new GroupService(store.Accounts, store.Swarms, groupSwarms, options.MaxGroupsPerUser, time, accountLog);
        ILogger requests = loggers.CreateLogger("Shoal.Tracker.Requests");

        WebApplication web = BuildWeb(options, certificate, options.Port, loggers, requests, tracker, limiter, store.Swarms, index, accounts, groups);
        TrackerMetrics metrics = web.Services.GetRequiredService<TrackerMetrics>();
        UdpTrackerServer? udp = null;
        try
        {
            // UDP first when the port is fixed, so "port in use" is reported before HTTP starts.
            udp = options.Port == 0 ? null : StartUdp(options, options.Port, tracker, limiter, metrics, time, requests);
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            int port = ListeningPort(web);
            udp ??= StartUdp(options, port, tracker, limiter, metrics, time, requests);
            return new TrackerHost(web, udp, store, limiter, passwords, options.ListenAddress, certificate is not null);
        }
        catch (Exception e)
        {
            await web.DisposeAsync().ConfigureAwait(false);
            if (udp is not null)
            {
                await udp.DisposeAsync().ConfigureAwait(false);
            }

            if (e is IOException { InnerException: { } inner } && inner.GetType().Name == "AddressInUseException")
            {
                throw new NetworkException($"cannot listen on TCP port {options.Port}: it is in use");
            }

            throw;
        }
    }

    private static UdpTrackerServer StartUdp(TrackerOptions options, int port, TrackerService tracker, AddressRateLimiter limiter, TrackerMetrics metrics, TimeProvider time, ILogger logger)
    {
        var handler = new UdpRequestHandler(tracker, new ConnectionIds(time), limiter, metrics, logger);
        try
        {
            return UdpTrackerServer.Start(options.ListenAddress, port, handler, UdpRequestHandler.MaxResponseLength(options.MaxNumWant), options.MaxPendingUdpRequests, metrics, logger);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && options.Port != 0)
        {
            throw new NetworkException($"cannot listen on UDP port {port}: it is in use");
        }
    }

    private static WebApplication BuildWeb(
        TrackerOptions options, X509Certificate2? certificate, int port, ILoggerFactory loggers, ILogger requests, TrackerService tracker, AddressRateLimiter limiter, ISwarmStore swarms, FileIndexService index, AccountService accounts, GroupService groups)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Shoal.Tracker", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddHostedService<HeapGiveBack>();
        builder.Services.AddSingleton(services => new TrackerMetrics(services.GetRequiredService<IMeterFactory>(), swarms));
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("shoal-tracker")).WithMetrics(otel => otel.AddPrometheusExporter());
        // Only this host's meters (MeterScope.Local): another tracker or node in the process has its own /metrics.
        builder.Metrics.EnableMetrics(TrackerMetrics.MeterName, null, null, MeterScope.Local);
        builder.Metrics.EnableMetrics("Microsoft.AspNetCore.Hosting", "http.server.request.duration", null, MeterScope.Local);
        // The process's own figures (working set, GC heap, thread pool): one runtime per process, so global.
        builder.Metrics.EnableMetrics("System.Runtime", null, null, MeterScope.Global);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.ListenAddress, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.Limits.MaxRequestBodySize = options.MaxTorrentBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });

        WebApplication web = builder.Build();
        web.Use(new ErrorBoundary(requests).InvokeAsync);
        var announce = new HttpAnnounceEndpoint(tracker, limiter, options.MaxNumWant, web.Services.GetRequiredService<TrackerMetrics>(), requests);
        var scrape = new HttpScrapeEndpoint(tracker, limiter, requests);
        var files = new FileIndexEndpoints(index, new BearerToken(accounts), options.MaxTorrentBytes, options.OpenRegistration);
        var page = new IndexPage(index, options.Closed);
        web.MapGet("/announce", announce.HandleAsync);
        web.MapGet($"/announce/{{{Passkey.RouteValue}}}", announce.HandleAsync);
        web.MapGet("/scrape", scrape.HandleAsync);
        web.MapGet($"/scrape/{{{Passkey.RouteValue}}}", scrape.HandleAsync);
        web.MapPost("/api/torrents", files.RegisterAsync);
        web.MapGet("/api/files", files.ListAsync);
        web.MapGet("/api/torrents/{file}", files.TorrentFileAsync);
        web.MapGet("/", page.HandleAsync);
        // Open, as opentracker's stats are: announce counts and swarm totals say no more than scrapes do.
        web.MapPrometheusScrapingEndpoint();
        MapAccounts(web, accounts, groups, options.MaxTorrentBytes);
        return web;
    }

    private static void MapAccounts(WebApplication web, AccountService accounts, GroupService groups, int maxTorrentBytes)
    {
        var bearer = new BearerToken(accounts);
        var users = new AccountEndpoints(accounts, bearer);
        web.MapPost("/api/users", users.CreateUserAsync);
        web.MapPost("/api/sessions", users.LoginAsync);
        web.MapDelete("/api/sessions/current", users.LogoutAsync);
        web.MapGet("/api/me", users.MeAsync);
        web.MapPut("/api/me/password", users.ChangePasswordAsync);

        var group = new GroupEndpoints(groups, bearer);
        web.MapPost("/api/groups", group.CreateAsync);
        web.MapGet("/api/groups", group.ListAsync);
        web.MapDelete("/api/groups/{group}", group.DeleteAsync);
        web.MapPost("/api/groups/{group}/requests", group.RequestToJoinAsync);
        web.MapGet("/api/groups/{group}/requests", group.RequestsAsync);
        web.MapPost("/api/groups/{group}/requests/{user}/accept", group.AcceptAsync);
        web.MapPost("/api/groups/{group}/requests/{user}/reject", group.RejectAsync);
        web.MapDelete("/api/groups/{group}/members/{user}", group.RemoveMemberAsync);

        var files = new GroupFileEndpoints(groups, bearer, maxTorrentBytes);
        web.MapGet("/api/groups/{group}/files", files.ListAsync);
        web.MapPost("/api/groups/{group}/files", files.ShareAsync);
        web.MapGet("/api/groups/{group}/files/{file}", files.TorrentFileAsync);
        web.MapDelete("/api/groups/{group}/files/{file}", files.StopSharingAsync);
    }

    private static int ListeningPort(WebApplication web)
    {
        string address = web.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
    }
}
