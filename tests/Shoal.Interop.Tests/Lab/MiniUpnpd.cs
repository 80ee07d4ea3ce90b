using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// Debian's miniupnpd (2.3.1, nftables back end) on a <see cref="Home"/>'s router, with UPnP IGD and NAT-PMP/PCP on its
/// LAN side, run in the foreground (`-d`) with a configuration of the test's own: the package ships none worth
/// using, and Debian's service (disabled unless asked for at install) is not involved.
/// </summary>
/// <remarks>
/// Two quirks shape the configuration. Since 2.3.0 miniupnpd creates no nftables table or chain of its own: it
/// adds its rules to chains that must exist, named in its configuration (<see cref="HomeRouterRules"/> makes them
/// and jumps to them). And it refuses to map ports when its WAN address is in a reserved range, as the lab's
/// 198.51.100.0/24 is, unless it learns its external address by STUN (`ext_perform_stun`) and STUN shows no
/// filtering NAT in front of it: the lab's <see cref="HomeLab.Stun"/> server answers it so.
/// </remarks>
public sealed partial class MiniUpnpd : IAsyncDisposable
{
    private readonly RunningProcess _process;
    private readonly NetworkNamespace _router;

    private MiniUpnpd(NetworkNamespace router, RunningProcess process)
    {
        _router = router;
        _process = process;
    }

    /// <summary>What it has logged (it logs to standard error in the foreground).</summary>
    public IReadOnlyList<string> LogLines => _process.ErrorLines;

    /// <summary>
    /// Writes the configuration into <paramref name="folder"/>, starts miniupnpd in <paramref name="router"/>, and waits
    /// until it has learned its external address by STUN, enabled port forwarding and listens for NAT-PMP.
    /// </summary>
    public static async Task<MiniUpnpd> StartAsync(NetworkNamespace router, string wanDevice, string lanDevice, IPNetwork lan, IPEndPoint stun, string folder)
    {
        string configuration = Path.Combine(folder, $"miniupnpd-{router.Name}.conf");
        await File.WriteAllLinesAsync(configuration,
        [
            $"ext_ifname={wanDevice}",
            $"listening_ip={lanDevice}",
            "enable_upnp=yes",
            "enable_natpmp=yes",
            "ext_perform_stun=yes",
            $"ext_stun_host={stun.Address}",
            $"ext_stun_port={stun.Port.ToString(CultureInfo.InvariantCulture)}",
            $"upnp_table_name={HomeRouterRules.Table}",
            $"upnp_nat_table_name={HomeRouterRules.Table}",
            $"upnp_forward_chain={HomeRouterRules.ForwardChain}",
            $"upnp_nat_chain={HomeRouterRules.PreroutingChain}",
            $"upnp_nat_postrouting_chain={HomeRouterRules.PostroutingChain}",
            "secure_mode=yes",
            "system_uptime=yes",
            "uuid=5e0a1f36-6c1d-4c8e-9b57-16a5e0a1f360",
            $"allow 1024-65535 {lan} 1024-65535",
            "deny 0-65535 0.0.0.0/0 0-65535",
        ]);
        // Even in the foreground it writes a pid file, /run/miniupnpd.pid unless told, and will not start while the pid
        // there lives: namespaces share the file system, so each instance gets its own.
        string pidFile = Path.Combine(folder, $"miniupnpd-{router.Name}.pid");
        RunningProcess process = router.Start("miniupnpd", ["-d", "-f", configuration, "-P", pidFile]);
        try
        {
            await process.WaitForErrorLineAsync(l => l.Contains("Listening for NAT-PMP/PCP traffic on port 5351", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.True(
                process.ErrorLines.Any(l => l.Contains("Port forwarding is now enabled", StringComparison.Ordinal)),
                $"miniupnpd did not enable port forwarding after STUN: {process.Tail(15)}");
            return new MiniUpnpd(router, process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The port redirections miniupnpd holds now, read from its nftables prerouting chain, where each is a rule such
    /// as `iif "lab3b" @nh,72,8 0x6 th dport 6881 dnat ip to 192.168.1.2:6881` (IPv4 header byte 9, the protocol:
    /// 6 TCP, 17 UDP): a mapping exists while its rule does.
    /// </summary>
    public async Task<IReadOnlyList<Redirection>> RedirectionsAsync()
    {
        ProcessResult listed = await _router.RunAsync("nft", ["list", "chain", "inet", HomeRouterRules.Table, HomeRouterRules.PreroutingChain]);
        Assert.True(listed.ExitCode == 0, $"nft list chain in {_router.Name}: {listed.Error}");
        return [.. RedirectionRule().Matches(listed.Output).Select(Redirection.Of)];
    }

    /// <summary>Reads <see cref="RedirectionsAsync"/> every 200 ms until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Redirection>> WaitForRedirectionsAsync(Func<IReadOnlyList<Redirection>, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyList<Redirection> now = await RedirectionsAsync();
            if (done(now))
            {
                return now;
            }

            Assert.True(clock.Elapsed < timeout, $"miniupnpd's redirections did not come to {what} within {timeout}: [{string.Join(", ", now)}]; miniupnpd: {Tail()}");
            await Task.Delay(200);
        }
    }

    public string Tail(int lines = 10) => _process.Tail(lines);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"@nh,72,8 (?<protocol>0x[0-9a-f]+) th dport (?<port>[0-9]+) dnat ip to (?<to>[0-9.]+:[0-9]+)")]
    private static partial Regex RedirectionRule();
}

/// <summary>One of miniupnpd's port redirections: <see cref="Protocol"/> ("TCP", "UDP") to the router's <see cref="ExternalPort"/> goes on to <see cref="To"/>.</summary>
public sealed record Redirection(string Protocol, int ExternalPort, IPEndPoint To)
{
    internal static Redirection Of(Match rule) => new(
        rule.Groups["protocol"].Value switch { "0x6" => "TCP", "0x11" => "UDP", var other => other },
        int.Parse(rule.Groups["port"].Value, CultureInfo.InvariantCulture),
        IPEndPoint.Parse(rule.Groups["to"].Value));

    public override string ToString() => $"{Protocol} {ExternalPort} → {To}";
}
