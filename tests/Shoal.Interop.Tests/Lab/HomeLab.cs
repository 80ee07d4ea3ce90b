using System.Globalization;
using System.Net;

namespace Shoal.Interop.Tests.Lab;

/// <summary>A namespace on the lab's internet: a server or a peer with a public (documentation) address, on its own <paramref name="Link"/> to the core.</summary>
public sealed record InternetHost(string Label, NetworkNamespace Namespace, VethLink Link)
{
    public IPAddress Address => Link.Second.Address;

    /// <summary>What it has sent so far (bytes, headers included): what a peer can have relayed at most.</summary>
    public Task<long> SentBytesAsync() => Link.SentBytesAsync(Namespace);

    public override string ToString() => $"{Label} at {Address}";
}

/// <summary>
/// Two (or more) homes behind address-translating routers, and servers and peers on an "internet" between them, all
/// in network namespaces with addresses that exist nowhere else: 203.0.113.0/24 (TEST-NET-3) for internet hosts,
/// 198.51.100.0/24 (TEST-NET-2) for the routers' WAN ends, 192.168.N.0/24 inside home N.
/// <code>
///   home a host 192.168.1.2 ── router a (WAN 198.51.100.2, miniupnpd) ──┐
///   home b host 192.168.2.2 ── router b (WAN 198.51.100.6)            ──┤ core ── stun 203.0.113.2
///                                                                       │ (delay line)── tracker, peers… 203.0.113.6, .10, …
/// </code>
/// Every namespace hangs off the core on a /30 link of its own (core .1 mod 4, the other end .2 mod 4), and the core
/// sends every packet it forwards through the <see cref="DelayLine"/>, so any two of them are a round trip of twice
/// the one-way delay apart and lose packets both ways. No namespace has a route out of the lab: the core has no
/// default route, and everything else's default route ends at the core.
/// </summary>
public sealed class HomeLab : IAsyncDisposable
{
    private const int StunPort = 3478;
    private readonly List<NetworkNamespace> _namespaces;
    private readonly List<IAsyncDisposable> _processes = [];
    private readonly string _folder;
    private int _internetHosts;
    private int _homes;

    private HomeLab(NetworkNamespace core, List<NetworkNamespace> namespaces, string folder)
    {
        Core = core;
        _namespaces = namespaces;
        _folder = folder;
    }

    /// <summary>The internet's router: forwards between every link, through <see cref="Delay"/>.</summary>
    public NetworkNamespace Core { get; }

    public DelayLine Delay { get; private set; } = null!;

    /// <summary>The STUN server the routers' miniupnpd asks for their external address (scripts/stun_server.py).</summary>
    public InternetHost Stun { get; private set; } = null!;

    public IPEndPoint StunEndPoint => new(Stun.Address, StunPort);

    /// <summary>The core, its delay line and the STUN server; homes and internet hosts are added by the test.</summary>
    public static async Task<HomeLab> CreateAsync(DelayLineSettings settings, string folder)
    {
        NetworkNamespace core = await NetworkNamespace.CreateAsync("core");
        var lab = new HomeLab(core, [core], folder);
        try
        {
            await core.EnableForwardingAsync();
            lab.Delay = await DelayLine.StartAsync(core, settings);
            lab._processes.Add(lab.Delay);
            lab.Stun = await lab.AddInternetHostAsync("stun");
            await lab.StartAsync(
                lab.Stun.Namespace, Tools.Python, [Tools.Script("stun_server.py"), "--bind", lab.Stun.Address.ToString(), "--port", StunPort.ToString(CultureInfo.InvariantCulture)],
                p => p.WaitForOutputLineAsync(l => l.Contains("\"listening\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A namespace on the internet at 203.0.113.(4N+2), N counting from 0; its default route is the core.</summary>
    public async Task<InternetHost> AddInternetHostAsync(string label)
    {
        int n = _internetHosts++;
        NetworkNamespace host = await CreateNamespaceAsync(label);
        VethLink link = await VethLink.CreateAsync(Core, Address(203, 0, 113, (4 * n) + 1), host, Address(203, 0, 113, (4 * n) + 2), 30);
        await Delay.RouteArrivalsOnAsync(link.First.Device);
        await host.IpAsync("route", "add", "default", "via", link.First.Address.ToString());
        return new InternetHost(label, host, link);
    }

    /// <summary>
    /// Home number N (from 1): router WAN 198.51.100.(4N-2), LAN 192.168.N.0/24 with the router at .1 and the host at
    /// .2; with <paramref name="portMapping"/>, miniupnpd on the router (started, STUN done, listening).
    /// </summary>
    public async Task<Home> AddHomeAsync(string label, bool portMapping)
    {
        int n = ++_homes;
        NetworkNamespace router = await CreateNamespaceAsync($"router-{label}");
        NetworkNamespace host = await CreateNamespaceAsync($"home-{label}");
        VethLink wan = await VethLink.CreateAsync(Core, Address(198, 51, 100, (4 * n) - 3), router, Address(198, 51, 100, (4 * n) - 2), 30);
        await Delay.RouteArrivalsOnAsync(wan.First.Device);
        VethLink lan = await VethLink.CreateAsync(router, Address(192, 168, n, 1), host, Address(192, 168, n, 2), 24);
        await router.EnableForwardingAsync();
        await router.IpAsync("route", "add", "default", "via", wan.First.Address.ToString());
        await host.IpAsync("route", "add", "default", "via", lan.First.Address.ToString());

        string rules = Path.Combine(_folder, $"nft-{router.Name}.conf");
        await File.WriteAllTextAsync(rules, HomeRouterRules.Ruleset(wan.Second.Device, lan.First.Device));
        ProcessResult loaded = await router.RunAsync("nft", ["-f", rules]);
        Assert.True(loaded.ExitCode == 0, $"nft -f in {router.Name}: {loaded.Error}");

        MiniUpnpd? mapper = null;
        if (portMapping)
        {
            mapper = await MiniUpnpd.StartAsync(router, wan.Second.Device, lan.First.Device, IPNetwork.Parse(lan.Subnet), StunEndPoint, _folder);
            _processes.Add(mapper);
        }

        return new Home(label, router, host, wan, lan, mapper);
    }

    /// <summary>Starts a long-running program in <paramref name="space"/>, ended with the lab, once <paramref name="ready"/> says it is up.</summary>
    public async Task<RunningProcess> StartAsync(NetworkNamespace space, string fileName, IEnumerable<string> arguments, Func<RunningProcess, Task> ready, IReadOnlyDictionary<string, string>? environment = null)
    {
        RunningProcess process = space.Start(fileName, arguments, environment: environment);
        _processes.Add(process);
        await ready(process);
        return process;
    }

    /// <summary>Ends the lab's programs, then deletes its namespaces (which kills whatever else runs in them).</summary>
    public async ValueTask DisposeAsync()
    {
        List<Exception> failures = [];
        foreach (IAsyncDisposable disposable in Enumerable.Reverse(_processes).Concat(Enumerable.Reverse(_namespaces)))
        {
            try
            {
                await disposable.DisposeAsync();
            }
            catch (Exception failure)
            {
                failures.Add(failure);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("taking the home lab down", failures);
        }
    }

    private async Task<NetworkNamespace> CreateNamespaceAsync(string label)
    {
        NetworkNamespace created = await NetworkNamespace.CreateAsync(label);
        _namespaces.Add(created);
        return created;
    }

    private static IPAddress Address(int a, int b, int c, int d) => new([(byte)a, (byte)b, (byte)c, (byte)d]);
}
