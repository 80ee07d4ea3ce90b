using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// Calibration of <see cref="HomeLab"/>: before trusting what Shoal does in it, show that its homes are homes (they
/// reach the internet, seen as their router; the internet cannot reach into them unasked), that miniupnpd on the
/// mapping router answers, and that the internet between them delays and drops as configured.
/// </summary>
[Collection(nameof(LabCollection))]
public sealed partial class HomeLabTests(ITestOutputHelper output) : IDisposable
{
    private const int EchoPort = 7000;
    private static readonly string[] Protocols = ["tcp", "udp"];
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-homelab-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [LabFact]
    public async Task A_home_reaches_the_internet_over_TCP_and_UDP_seen_as_its_router()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home a = await lab.AddHomeAsync("a", portMapping: true);
        Home b = await lab.AddHomeAsync("b", portMapping: false);
        InternetHost echo = await StartEchoAsync(lab);

        foreach (Home home in new[] { a, b })
        {
            foreach (string proto in Protocols)
            {
                JsonElement reached = await ConnectAsync(home.Host, $"{echo.Address}:{EchoPort}", proto, TimeSpan.FromSeconds(10));
                output.WriteLine($"{home} → {echo} over {proto}: {reached}");
                Assert.Equal("answered", reached.GetProperty("outcome").GetString());
                Assert.StartsWith($"{home.WanAddress}:", reached.GetProperty("seen_as").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [LabFact]
    public async Task The_internet_cannot_reach_into_a_home_unasked_and_gets_no_answer()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home a = await lab.AddHomeAsync("a", portMapping: true);
        Home b = await lab.AddHomeAsync("b", portMapping: false);
        InternetHost stranger = await lab.AddInternetHostAsync("stranger");
        RunningProcess[] listening =
        [
            await StartReachServerAsync(lab, a.Host, EchoPort),
            await StartReachServerAsync(lab, b.Host, EchoPort),
        ];

        // The homes listen on the port, and the routers too would answer a closed port with a reset if they did not drop.
        var attempts = new[] { a, b }
            .SelectMany(home => Protocols.Select(proto => (home, proto)))
            .Select(async attempt => (attempt.home, attempt.proto, result: await ConnectAsync(stranger.Namespace, $"{attempt.home.WanAddress}:{EchoPort}", attempt.proto, TimeSpan.FromSeconds(3))));
        foreach (var (home, proto, result) in await Task.WhenAll(attempts))
        {
            output.WriteLine($"{stranger} → {home.WanAddress}:{EchoPort} over {proto}: {result}");
            Assert.Equal("timeout", result.GetProperty("outcome").GetString());
        }

        Assert.All(listening, server => Assert.DoesNotContain(server.OutputLines, l => l.Contains("\"tcp\"", StringComparison.Ordinal) || l.Contains("\"udp\"", StringComparison.Ordinal)));
    }

    /// <summary>
    /// miniupnpd on router a tells its WAN address over NAT-PMP, maps a port when asked (a redirection in its nftables
    /// chain, and a stranger on the internet then reaches the home's listener, seen as itself), and deletes the mapping
    /// when asked (the stranger is dropped again): the path Shoal's port mapping takes, shown without Shoal.
    /// </summary>
    [LabFact]
    public async Task The_mapping_router_answers_NAT_PMP_and_its_mappings_let_the_internet_in()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home a = await lab.AddHomeAsync("a", portMapping: true);
        InternetHost stranger = await lab.AddInternetHostAsync("stranger");
        await StartReachServerAsync(lab, a.Host, EchoPort);
        MiniUpnpd miniupnpd = a.PortMapper!;
        string wanPort = $"{a.WanAddress}:{EchoPort}";

        JsonElement address = await NatPmpAsync(a);
        Assert.Equal(0, address.GetProperty("result").GetInt32());
        Assert.Equal(a.WanAddress.ToString(), address.GetProperty("address").GetString());

        JsonElement mapped = await NatPmpAsync(a, "--map", "tcp", "--port", EchoPort.ToString(CultureInfo.InvariantCulture), "--lifetime", "60");
        Assert.Equal(0, mapped.GetProperty("result").GetInt32());
        Assert.Equal(EchoPort, mapped.GetProperty("external").GetInt32());
        IReadOnlyList<Redirection> redirections = await miniupnpd.RedirectionsAsync();
        output.WriteLine($"miniupnpd's redirections: {string.Join(", ", redirections)}");
        Assert.Equal([new Redirection("TCP", EchoPort, new IPEndPoint(a.HostAddress, EchoPort))], redirections);
        JsonElement inbound = await ConnectAsync(stranger.Namespace, wanPort, "tcp", TimeSpan.FromSeconds(10));
        output.WriteLine($"{stranger} → {wanPort} while mapped: {inbound}");
        Assert.Equal("answered", inbound.GetProperty("outcome").GetString());
        Assert.StartsWith($"{stranger.Address}:", inbound.GetProperty("seen_as").GetString(), StringComparison.Ordinal);

        JsonElement deleted = await NatPmpAsync(a, "--map", "tcp", "--port", EchoPort.ToString(CultureInfo.InvariantCulture), "--lifetime", "0");
        Assert.Equal(0, deleted.GetProperty("result").GetInt32());
        Assert.Empty(await miniupnpd.RedirectionsAsync());
        JsonElement after = await ConnectAsync(stranger.Namespace, wanPort, "tcp", TimeSpan.FromSeconds(3));
        output.WriteLine($"{stranger} → {wanPort} once deleted: {after}");
        Assert.Equal("timeout", after.GetProperty("outcome").GetString());
    }

    /// <summary>
    /// 2000 pings, 2 ms apart, from home a to an internet host: each crosses the delay line once each way, so the round
    /// trip is 50 ms and about 2 % of them (1 % each way) are lost. The line's own counters show its 1 %.
    /// </summary>
    [LabFact]
    public async Task The_internet_delays_each_way_25_ms_and_drops_1_percent()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home a = await lab.AddHomeAsync("a", portMapping: false);
        InternetHost far = await lab.AddInternetHostAsync("far");

        DelayLineCounts before = await lab.Delay.CountsAsync();
        ProcessResult pinged = await a.Host.RunAsync("ping", ["-q", "-c", "2000", "-i", "0.002", "-W", "1", far.Address.ToString()], TimeSpan.FromSeconds(60));
        DelayLineCounts line = await lab.Delay.CountsAsync() - before;
        output.WriteLine($"{lab.Delay.Settings}: {string.Join(" ", pinged.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
        output.WriteLine($"delay line meanwhile: {line}");

        Match loss = PingLoss().Match(pinged.Output);
        Match rtt = PingRtt().Match(pinged.Output);
        Assert.True(loss.Success && rtt.Success, $"ping printed no summary (is iputils-ping installed? ./test.sh installs it): {pinged.Output} {pinged.Error}");
        double lost = double.Parse(loss.Groups["percent"].Value, CultureInfo.InvariantCulture) / 100;
        double average = double.Parse(rtt.Groups["avg"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(average, 50.0, 60.0);
        Assert.InRange(lost, 0.005, 0.045);
        Assert.InRange(line.Loss, 0.004, 0.018);
    }

    /// <summary>`natpmp_query.py` from the home's host to its gateway, failing the test without an answer.</summary>
    private async Task<JsonElement> NatPmpAsync(Home home, params string[] request)
    {
        ProcessResult asked = await home.Host.RunAsync(Tools.Python, [Tools.Script("natpmp_query.py"), "--gateway", home.Gateway.ToString(), .. request]);
        output.WriteLine($"NAT-PMP {string.Join(' ', request)} to {home.Gateway}: {asked.Output.Trim()}");
        Assert.True(asked.ExitCode == 0, $"natpmp_query.py: {asked.Output} {asked.Error}; miniupnpd: {home.PortMapper?.Tail()}");
        return JsonDocument.Parse(asked.Output).RootElement.Clone();
    }

    private static async Task<InternetHost> StartEchoAsync(HomeLab lab)
    {
        InternetHost echo = await lab.AddInternetHostAsync("echo");
        await StartReachServerAsync(lab, echo.Namespace, EchoPort);
        return echo;
    }

    private static Task<RunningProcess> StartReachServerAsync(HomeLab lab, NetworkNamespace space, int port) => lab.StartAsync(
        space,
        Tools.Python,
        [Tools.Script("reach.py"), "serve", "--port", port.ToString(CultureInfo.InvariantCulture)],
        p => p.WaitForOutputLineAsync(l => l.Contains("\"listening\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));

    /// <summary>`reach.py connect` from <paramref name="space"/>: answered (and as whom), refused, or timed out.</summary>
    private static async Task<JsonElement> ConnectAsync(NetworkNamespace space, string to, string proto, TimeSpan timeout)
    {
        ProcessResult result = await space.RunAsync(
            Tools.Python, [Tools.Script("reach.py"), "connect", "--to", to, "--proto", proto, "--timeout", timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, $"reach.py connect {to} ({proto}) in {space.Name}: {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    [GeneratedRegex(@"(?<percent>[0-9.]+)% packet loss")]
    private static partial Regex PingLoss();

    [GeneratedRegex(@"= [0-9.]+/(?<avg>[0-9.]+)/[0-9.]+/[0-9.]+ ms")]
    private static partial Regex PingRtt();
}
