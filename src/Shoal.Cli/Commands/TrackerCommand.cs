using System.CommandLine;
using System.Net;
using Shoal.Tracker;
using Shoal.Tracker.Configuration;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal tracker [--port 6969] [--data DIR] [--store sqlite:PATH|postgres:CONNSTRING] [--closed] [--open-registration]
/// [--max-peers N] [--max-peers-per-swarm N] [--max-peers-per-address N] [--tls-cert PEM [--tls-key PEM]]`: an HTTP (or HTTPS) and UDP tracker with a file index, until Ctrl-C or SIGTERM.
/// </summary>
public static class TrackerCommand
{
    private static readonly TrackerOptions Defaults = new() { DataDirectory = "" };

    public static Command Build()
    {
        var port = new Option<int>("--port") { Description = "Port number for HTTP and UDP (BEP 15)", DefaultValueFactory = _ => 6969 };
        var data = new Option<string?>("--data") { Description = "Folder for the tracker's SQLite database (default: Shoal's data folder/tracker)" };
        var store = new Option<string?>("--store") { Description = "sqlite:PATH, or postgres:CONNECTION-STRING to share swarms between tracker instances" };
        var closed = new Option<bool>("--closed") { Description = "Track only torrents registered in the file index" };
        var openRegistration = new Option<bool>("--open-registration") { Description = "Let anyone register torrents in the file index without logging in (still limited per address)" };
        var listen = new Option<string>("--listen") { Description = "Address to listen on (:: also accepts IPv4)", DefaultValueFactory = _ => "::" };
        var interval = new Option<int>("--interval") { Description = "Seconds between a client's announces", DefaultValueFactory = _ => 1800 };
        var rateLimit = new Option<int>("--rate-limit") { Description = "Announces and scrapes per minute from one IP address (0: no limit)", DefaultValueFactory = _ => 600 };
        var maxPeers = new Option<int>("--max-peers") { Description = "Most peers kept in all; a new peer beyond is refused", DefaultValueFactory = _ => Defaults.MaxPeers };
        var maxPeersPerSwarm = new Option<int>("--max-peers-per-swarm") { Description = "Most peers kept for one torrent", DefaultValueFactory = _ => Defaults.MaxPeersPerSwarm };
        var maxPeersPerAddress = new Option<int>("--max-peers-per-address") { Description = "Most peers one IP address (IPv6 /64) may have over all torrents", DefaultValueFactory = _ => Defaults.MaxPeersPerAddress };
        var tlsCertificate = new Option<string?>("--tls-cert") { Description = "PEM certificate: serve HTTP over TLS (announce URLs are then https)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert (when the certificate file does not hold it)" };
        var command = new Command("tracker", "Run a BitTorrent tracker (HTTP and UDP) with a file index")
        {
            port, data, store, closed, openRegistration, listen, interval, rateLimit, maxPeers, maxPeersPerSwarm, maxPeersPerAddress, tlsCertificate, tlsKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            string? certificate = parse.GetValue(tlsCertificate);
            string? key = parse.GetValue(tlsKey);
            if (key is not null && certificate is null)
            {
                throw new UsageException("--tls-key needs --tls-cert");
            }

            TrackerOptions plain = Options(
                parse.GetValue(port), parse.GetValue(data), parse.GetValue(store), parse.GetValue(closed), parse.GetValue(openRegistration), parse.GetValue(listen)!, parse.GetValue(interval), parse.GetValue(rateLimit));
            TrackerOptions options = plain with
            {
                MaxPeers = AtLeastOne(parse.GetValue(maxPeers), "--max-peers"),
                MaxPeersPerSwarm = AtLeastOne(parse.GetValue(maxPeersPerSwarm), "--max-peers-per-swarm"),
                MaxPeersPerAddress = AtLeastOne(parse.GetValue(maxPeersPerAddress), "--max-peers-per-address"),
                TlsCertificateFile = certificate,
                TlsKeyFile = key,
            };
            await using TrackerHost tracker = await TrackerHost.StartAsync(options, runtime.Loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"listening on {new IPEndPoint(tracker.Address, tracker.Port)} (HTTP and UDP)").ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"announce: {tracker.HttpAnnounceUrl()}").ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"announce: {tracker.UdpAnnounceUrl()}").ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"files: {new Uri(tracker.HttpAnnounceUrl(), "/")}").ConfigureAwait(false);
            await runtime.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await CliRuntime.RunUntilStoppedAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static int AtLeastOne(int value, string option) => value >= 1 ? value : throw new UsageException($"{option} is a number of peers, at least 1");

    private static TrackerOptions Options(int port, string? data, string? store, bool closed, bool openRegistration, string listen, int interval, int rateLimit)
    {
        if (port is < 0 or > 65535)
        {
            throw new UsageException($"port {port} is not between 0 and 65535");
        }

        if (!IPAddress.TryParse(listen, out IPAddress? address))
        {
            throw new UsageException($"'{listen}' is not an IP address to listen on");
        }

        if (interval is < 10 or > 86_400)
        {
            throw new UsageException($"--interval {interval} is not between 10 and 86400 seconds");
        }

        if (rateLimit < 0)
        {
            throw new UsageException("--rate-limit is a number of requests per minute, 0 for no limit");
        }

        return new TrackerOptions
        {
            Port = port,
            ListenAddress = address,
            DataDirectory = data ?? Path.Combine(ShoalConfiguration.DataDirectory, "tracker"),
            Store = store,
            Closed = closed,
            OpenRegistration = openRegistration,
            AnnounceInterval = TimeSpan.FromSeconds(interval),
            MinAnnounceInterval = TimeSpan.FromSeconds(Math.Min(interval, 300)),
            RequestsPerMinutePerAddress = rateLimit,
        };
    }
}
