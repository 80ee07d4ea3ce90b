using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Shoal.Net;
using Shoal.Session;
using Shoal.Swarm;

namespace Shoal.Cli;

/// <summary>The flags of the commands that run a session (--port, --peer, --tracker, --listen, --max-up, --max-down, --encryption, --no-utp, --no-tcp, --no-port-mapping) and the settings behind them.</summary>
public sealed class SessionFlags
{
    /// <summary>Ports tried after Net:Port when it is taken, before any free one: 6881 to 6889 and beyond, as clients have used.</summary>
    private const int ListenPortFallback = 50;

    public Option<int?> Port { get; } = new("--port") { Description = "Port to listen on for peers, TCP and UDP (default 6881, or the next free one; setting Net:Port, 0 for any free port). A port given here that is taken is an error" };

    public Option<string[]> Peers { get; } = new("--peer") { Description = "A peer to connect to, HOST:PORT (repeatable)" };

    public Option<string[]> Trackers { get; } = new("--tracker") { Description = "A tracker URL to announce to, http(s):// or udp:// (repeatable; each its own tier)" };

    public Option<string?> Listen { get; } = new("--listen") { Description = "Address to listen on (default :: which also accepts IPv4; setting Net:ListenAddress)" };

    public Option<string?> MaxUp { get; } = new("--max-up") { Description = "Upload cap for this torrent, bytes/s or with a suffix (500K, 2MiB); setting Limits:TorrentUpload" };

    public Option<string?> MaxDown { get; } = new("--max-down") { Description = "Download cap for this torrent, bytes/s or with a suffix; setting Limits:TorrentDownload" };

    public Option<string[]> DhtBootstrap { get; } = new("--dht-bootstrap")
    {
        Description = "A DHT node to join through, HOST:PORT, instead of the setting Dht:Bootstrap (comma-separated; the well-known routers by default); none for none (repeatable)",
    };

    public Option<bool> NoDht { get; } = new("--no-dht") { Description = "Do not use the DHT (BEP 5); setting Dht:Enabled" };

    public Option<bool> NoLocalDiscovery { get; } = new("--no-lsd") { Description = "Do not use local service discovery (BEP 14); setting Net:LocalDiscovery" };

    public Option<string?> Encryption { get; } = new("--encryption")
    {
        Description = "Protocol encryption with peers: prefer (try encrypted, fall back to plaintext), require (refuse plaintext peers) or disable; setting Net:Encryption",
        HelpName = "prefer|require|disable",
    };

    public Option<bool> NoUtp { get; } = new("--no-utp") { Description = "Do not connect to peers over uTP (BEP 29), only TCP; setting Net:Utp" };

    public Option<bool> NoTcp { get; } = new("--no-tcp") { Description = "Do not connect to peers over TCP, only uTP; setting Net:Tcp" };

    public Option<bool> NoPortMapping { get; } = new("--no-port-mapping") { Description = "Do not ask the router to forward the listening ports (UPnP IGD, PCP, NAT-PMP); setting Net:PortMapping" };

    public void AddTo(Command command)
    {
        command.Options.Add(Encryption);
        command.Options.Add(NoUtp);
        command.Options.Add(NoTcp);
        command.Options.Add(NoPortMapping);
        command.Options.Add(Port);
        command.Options.Add(Peers);
        command.Options.Add(Trackers);
        command.Options.Add(Listen);
        command.Options.Add(MaxUp);
        command.Options.Add(MaxDown);
        command.Options.Add(DhtBootstrap);
        command.Options.Add(NoDht);
        command.Options.Add(NoLocalDiscovery);
    }

    public SessionOptions SessionOptions(ParseResult parse, IConfiguration configuration, ILoggerFactory loggers)
    {
        string listen = parse.GetValue(Listen) ?? configuration["Net:ListenAddress"] ?? "::";
        if (!IPAddress.TryParse(listen, out IPAddress? address))
        {
            throw new UsageException($"'{listen}' is not an IP address to listen on");
        }

        int? given = parse.GetValue(Port);
        int port = given ?? Number(configuration, "Net:Port");
        if (port is < 0 or > 65535)
        {
            throw new UsageException($"port {port} is not between 0 and 65535");
        }

        return new SessionOptions
        {
            ListenAddress = address,
            ListenPort = port,
            // The setting's port is a preference; --port is what the user asked for now, so a taken one is an error.
            ListenPortFallback = given is null ? ListenPortFallback : 0,
            MaxConnections = (int)Number(configuration, "Net:MaxConnections"),
            MaxConnectionsPerTorrent = (int)Number(configuration, "Net:MaxConnectionsPerTorrent"),
            MaxConnectionsPerAddress = (int)Number(configuration, "Net:MaxConnectionsPerAddress"),
            UploadLimit = Rate(configuration["Limits:Upload"], "Limits:Upload"),
            DownloadLimit = Rate(configuration["Limits:Download"], "Limits:Download"),
            StateDirectory = Path.Combine(ShoalConfiguration.DataDirectory, "resume"),
            Dht = parse.GetValue(NoDht) || !Flag(configuration, "Dht:Enabled") ? null : DhtSettings(parse, configuration),
            LocalDiscovery = !parse.GetValue(NoLocalDiscovery) && Flag(configuration, "Net:LocalDiscovery"),
            Encryption = EncryptionFlag(parse.GetValue(Encryption) ?? configuration["Net:Encryption"]),
            Tcp = !parse.GetValue(NoTcp) && Flag(configuration, "Net:Tcp"),
            Utp = !parse.GetValue(NoUtp) && Flag(configuration, "Net:Utp"),
            PortMapping = !parse.GetValue(NoPortMapping) && Flag(configuration, "Net:PortMapping"),
            Loggers = loggers,
            Swarm = SwarmSettings.Default with
            {
                Choker = new ChokerSettings
                {
                    RegularSlots = (int)Number(configuration, "Choking:UnchokeSlots"),
                    OptimisticSlots = (int)Number(configuration, "Choking:OptimisticSlots"),
                },
                InitialSeeding = Flag(configuration, "Seeding:InitialSeeding"),
            },
        };
    }

    public IReadOnlyList<IPEndPoint> PeerList(ParseResult parse) => [.. (parse.GetValue(Peers) ?? []).Select(PeerEndPoints.Parse)];

    /// <summary>The --tracker URLs, each checked to be an http, https or udp URL.</summary>
    public IReadOnlyList<string> TrackerList(ParseResult parse) => [.. (parse.GetValue(Trackers) ?? []).Select(TrackerUrl.Check)];

    public (long Upload, long Download) TorrentLimits(ParseResult parse, IConfiguration configuration) =>
        (Rate(parse.GetValue(MaxUp) ?? configuration["Limits:TorrentUpload"], "--max-up"),
         Rate(parse.GetValue(MaxDown) ?? configuration["Limits:TorrentDownload"], "--max-down"));

    /// <summary>prefer, require or disable (--encryption, setting Net:Encryption).</summary>
    public static EncryptionMode EncryptionFlag(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "prefer" => EncryptionMode.Prefer,
        "require" => EncryptionMode.Require,
        "disable" => EncryptionMode.Disable,
        _ => throw new UsageException($"--encryption '{text}' is not prefer, require or disable"),
    };

    /// <summary>A rate in bytes per second (500K, 2MiB, 10M/s); empty is unlimited (0).</summary>
    public static long Rate(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        string trimmed = text.Trim();
        if (trimmed.EndsWith("/s", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^2];
        }

        return ByteSize.TryParse(trimmed, out long bytes)
            ? bytes
            : throw new UsageException($"{name} '{text}' is not a rate in bytes per second (e.g. 500K, 2MiB)");
    }

    /// <summary>
    /// The DHT as the session runs it unless --no-dht or Dht:Enabled=false: the --dht-bootstrap nodes if given, else
    /// those of the setting Dht:Bootstrap (the well-known routers unless changed), where "none" and empty mean none; and
    /// the table saved in the data folder. Host names are resolved by the session once it runs, so a name that does not
    /// resolve only costs a warning.
    /// </summary>
    public SessionDhtOptions DhtSettings(ParseResult parse, IConfiguration configuration)
    {
        string[] given = parse.GetValue(DhtBootstrap) ?? [];
        return new SessionDhtOptions
        {
            Bootstrap = BootstrapNodes(given.Length > 0 ? given : [configuration["Dht:Bootstrap"] ?? ""]),
            StateFile = Path.Combine(ShoalConfiguration.DataDirectory, "dht-nodes.dat"),
            Node = new Discovery.Dht.DhtNodeOptions { ReadOnly = Flag(configuration, "Dht:ReadOnly") },
        };
    }

    /// <summary>Comma-separated HOST:PORT entries (in one value or several); "none" stands for no node.</summary>
    public static IReadOnlyList<EndPoint> BootstrapNodes(IEnumerable<string> values) =>
        [.. values
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(entry => !entry.Equals("none", StringComparison.OrdinalIgnoreCase))
            .Select(BootstrapNode)];

    private static EndPoint BootstrapNode(string hostPort)
    {
        try
        {
            return Discovery.Dht.DhtEndPoints.Parse(hostPort);
        }
        catch (FormatException)
        {
            throw new UsageException($"the DHT bootstrap node '{hostPort}' (--dht-bootstrap or the setting Dht:Bootstrap) is not HOST:PORT");
        }
    }

    private static bool Flag(IConfiguration configuration, string key) =>
        bool.TryParse(configuration[key], out bool value)
            ? value
            : throw new UsageException($"the setting {key} '{configuration[key]}' is not true or false");

    private static int Number(IConfiguration configuration, string key) =>
        int.TryParse(configuration[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw new UsageException($"the setting {key} '{configuration[key]}' is not a whole number");
}
