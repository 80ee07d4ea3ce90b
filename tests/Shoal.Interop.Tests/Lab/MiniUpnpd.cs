using System.Globalization;
using System.Net;

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
public sealed class MiniUpnpd : IAsyncDisposable
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
        RunningProcess process = router.Start("miniupnpd", ["-d", "-f", configuration]);
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
    /// The redirections miniupnpd holds now, one line each as nftables lists its prerouting chain (e.g. `iif "lab3b"
    /// @nh,72,8 0x6 th dport 6881 dnat ip to 192.168.1.2:6881`): a mapping exists while its line does.
    /// </summary>
    public async Task<IReadOnlyList<string>> RedirectionsAsync()
    {
        ProcessResult listed = await _router.RunAsync("nft", ["list", "chain", "inet", HomeRouterRules.Table, HomeRouterRules.PreroutingChain]);
        Assert.True(listed.ExitCode == 0, $"nft list chain in {_router.Name}: {listed.Error}");
        return [.. listed.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("dnat", StringComparison.Ordinal))];
    }

    public string Tail(int lines = 10) => _process.Tail(lines);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
