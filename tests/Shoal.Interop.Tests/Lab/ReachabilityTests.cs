using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// Issue 16's stories in <see cref="HomeLab"/>: people at home, behind routers that translate addresses and drop what
/// nobody asked for, with 50 ms and 1 % loss between them (<see cref="DelayLineSettings.Internet"/>), still find each
/// other — through a port their router maps, through a hole a relay helps them punch, or through the DHT.
/// </summary>
[Collection(nameof(LabCollection))]
public sealed partial class ReachabilityTests : IDisposable
{
    private const long ContentSize = 4L << 20;
    private const int TrackerPort = 6969;
    private static readonly TimeSpan Mapped = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Transfer = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-reach-").FullName;
    private readonly LabShoal _shoal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ReachabilityTests(ITestOutputHelper output)
    {
        _output = output;
        _shoal = new LabShoal(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Alice's router runs miniupnpd; Shoal maps its TCP and UDP ports there. A peer on the internet and Bob, at home
    /// behind a router that maps nothing, know only the tracker: it gives them Alice's router's address and the mapped
    /// port, and both download from her. When Alice stops, her mappings go with her.
    /// </summary>
    [LabFact]
    public async Task A_home_that_maps_its_port_is_downloaded_from_by_the_internet_and_by_another_home_through_the_tracker_alone()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home alice = await lab.AddHomeAsync("a", portMapping: true);
        Home bob = await lab.AddHomeAsync("b", portMapping: false);
        InternetHost trackerHost = await lab.AddInternetHostAsync("tracker");
        InternetHost carol = await lab.AddInternetHostAsync("peer");
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(
            arguments => trackerHost.Namespace.Start(Tools.Shoal, arguments), trackerHost.Address, TrackerPort, Path.Combine(_folder, "tracker"));
        var (content, torrent) = await ContentAsync();
        Log($"{alice}; {bob}; tracker {tracker.HttpAnnounce}; {carol}; {lab.Delay.Settings}");

        var (share, _) = await _shoal.ShareAsync(alice.Host, "a", content, portMapping: true, "--torrent", torrent, "--tracker", tracker.HttpAnnounce, "--no-dht");
        await using RunningProcess aliceShares = share;
        IReadOnlyList<Redirection> redirections = await alice.PortMapper!.WaitForRedirectionsAsync(r => MapsBoth(r, alice), Mapped, "Shoal's TCP and UDP ports");
        Log($"alice's router maps {string.Join(", ", redirections)}");
        string shown = await aliceShares.WaitForErrorLineAsync(l => l.StartsWith($"port {LabShoal.Port} mapped on the router", StringComparison.Ordinal), Mapped);
        Log($"alice's shoal says: {shown}");
        Assert.Contains($"{alice.WanAddress}:", shown, StringComparison.Ordinal);
        int externalPort = redirections.First(r => r.Protocol == "TCP").ExternalPort;
        string aliceOutside = $"{alice.WanAddress}:{externalPort.ToString(CultureInfo.InvariantCulture)}";

        await using RunningProcess carolGets = _shoal.Get(carol.Namespace, "peer", torrent, portMapping: false, "--tracker", tracker.HttpAnnounce, "--no-dht");
        await using RunningProcess bobGets = _shoal.Get(bob.Host, "b", torrent, portMapping: false, "--tracker", tracker.HttpAnnounce, "--no-dht");
        await AssertDownloadedAsync(carolGets, "peer", content);
        await AssertDownloadedAsync(bobGets, "b", content);
        AssertConnectedTo(carolGets, aliceOutside, "the internet peer");
        AssertConnectedTo(bobGets, aliceOutside, "bob");

        int stopped = await aliceShares.TerminateAsync(TimeSpan.FromSeconds(30));
        Assert.True(stopped == 0, $"alice's shoal share exited with {stopped}: {aliceShares.Tail(10)}");
        IReadOnlyList<Redirection> left = await alice.PortMapper.RedirectionsAsync();
        Log($"after alice stopped, her router maps [{string.Join(", ", left)}]");
        Assert.Empty(left);
    }

    /// <summary>
    /// Alice and Bob are both behind routers that map nothing: neither can dial the other. Both know a peer on the
    /// internet, a relay (itself downloading the file at 16 KiB/s and uploading as slowly), which tells Bob of Alice
    /// (PEX, BEP 11). Bob's dial of Alice is dropped by her router, so he asks the relay for a rendezvous (BEP 55); both
    /// dial at once, each router takes the other's packets for answers, and the file comes over the punched connection:
    /// Bob's log counts the payload received on each connection, and the relay's link shows it sent far less than the file.
    /// </summary>
    /// <remarks>
    /// Alice must not hear of Bob before Bob has asked for the rendezvous: had she dialled him, her dial would leave an
    /// entry in her router's connection tracking that lets Bob's plain dial in as an answer, a hole punched by chance,
    /// not by BEP 55 (seen in this lab). So Carol, a passing peer, joins the relay first and leaves at once: the relay's
    /// first PEX message to Alice names Carol, its next one is due a minute later (BEP 11's interval), and Carol, gone,
    /// tells Alice nothing.
    /// </remarks>
    [LabFact]
    public async Task Two_homes_that_map_nothing_punch_a_hole_through_a_relay_and_transfer_directly()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home alice = await lab.AddHomeAsync("a", portMapping: false);
        Home bob = await lab.AddHomeAsync("b", portMapping: false);
        InternetHost relayHost = await lab.AddInternetHostAsync("relay");
        InternetHost carol = await lab.AddInternetHostAsync("carol");
        var (content, torrent) = await ContentAsync();
        string relayAt = LabShoal.EndPoint(relayHost.Address);
        string[] slowly = ["--no-dht", "--max-down", "16K", "--max-up", "16K"];
        Log($"{alice}; {bob}; relay {relayHost}; {carol}; {lab.Delay.Settings}");

        await using RunningProcess relay = _shoal.Get(relayHost.Namespace, "relay", torrent, portMapping: false, slowly);
        await LabShoal.WaitUntilListeningAsync(relayHost.Namespace, relay);
        var (share, _) = await _shoal.ShareAsync(alice.Host, "a", content, portMapping: false, "--torrent", torrent, "--no-dht", "--peer", relayAt);
        await using RunningProcess aliceShares = share;
        await aliceShares.WaitForErrorLineAsync(l => l.Contains($"connected to {relayAt}", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await using (RunningProcess carolPasses = _shoal.Get(carol.Namespace, "carol", torrent, portMapping: false, [.. slowly, "--peer", relayAt]))
        {
            await aliceShares.WaitForErrorLineAsync(l => l.Contains("from Pex", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }

        Log("the relay has told alice of carol, and carol has gone");
        long relaySentBefore = await relayHost.SentBytesAsync();
        await using RunningProcess bobGets = _shoal.Get(bob.Host, "b", torrent, portMapping: false, "--no-dht", "--peer", relayAt);
        await AssertDownloadedAsync(bobGets, "b", content, ("alice", aliceShares));
        long relaySent = await relayHost.SentBytesAsync() - relaySentBefore;

        string aliceOutside = LabShoal.EndPoint(alice.WanAddress);
        LogConnections("alice", aliceShares);
        LogConnections("bob", bobGets);
        long fromAlice = PayloadReceivedFrom(bobGets, aliceOutside);
        Log($"bob received {fromAlice} payload bytes on his connections to alice; the relay sent {relaySent} bytes while bob fetched {ContentSize} (its link's counter, headers included)");
        Assert.Contains(bobGets.ErrorLines, l => l.Contains($"{aliceOutside} cannot be dialled; asked {relayAt} for a rendezvous", StringComparison.Ordinal));
        Assert.Contains(aliceShares.ErrorLines.Concat(bobGets.ErrorLines), l => l.Contains("hole punched to", StringComparison.Ordinal) && l.Contains($"via relay {relayAt}", StringComparison.Ordinal));
        Assert.True(fromAlice >= ContentSize * 3 / 4, $"bob received only {fromAlice} of {ContentSize} bytes from alice directly");
        Assert.True(relaySent < ContentSize / 4, $"the relay sent {relaySent} bytes while bob fetched {ContentSize}: the data went through it");
    }

    /// <summary>
    /// Two bootstrap nodes on the internet; Alice (whose router maps her ports) shares a file and announces it to the
    /// DHT; Bob, in another home, is given only the magnet link (no tracker in it, no peer, no local discovery) and
    /// fetches the metadata and the file from Alice, found through the DHT alone.
    /// </summary>
    [LabFact]
    public async Task A_magnet_shared_in_a_mapped_home_is_fetched_in_another_home_through_the_DHT_alone()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home alice = await lab.AddHomeAsync("a", portMapping: true);
        Home bob = await lab.AddHomeAsync("b", portMapping: false);
        InternetHost first = await lab.AddInternetHostAsync("dht1");
        InternetHost second = await lab.AddInternetHostAsync("dht2");
        string content = ContentSamples.RandomFile(Path.Combine(_folder, "data.bin"), ContentSize, seed: 16);
        string bootstrapContent = ContentSamples.RandomFile(Path.Combine(_folder, "bootstrap.bin"), 16 << 10, seed: 42);
        string[] bootstrap = ["--dht-bootstrap", LabShoal.EndPoint(first.Address), "--dht-bootstrap", LabShoal.EndPoint(second.Address)];
        Log($"{alice}; {bob}; DHT bootstrap nodes {first}, {second}; {lab.Delay.Settings}");

        // Long-running DHT nodes on the internet, each bootstrapping through the other.
        var (firstNode, _) = await _shoal.ShareAsync(first.Namespace, "dht1", bootstrapContent, portMapping: false, "--dht-bootstrap", LabShoal.EndPoint(second.Address));
        await using RunningProcess firstRuns = firstNode;
        var (secondNode, _) = await _shoal.ShareAsync(second.Namespace, "dht2", bootstrapContent, portMapping: false, "--dht-bootstrap", LabShoal.EndPoint(first.Address));
        await using RunningProcess secondRuns = secondNode;

        // As the internet's bootstrap routers have long done, each settles its node id on its external address (BEP 42)
        // before the homes arrive: a lookup that meets a node whose id changed since it was listed counts it as failed.
        foreach (RunningProcess bootstrapNode in new[] { firstRuns, secondRuns })
        {
            Log(await bootstrapNode.WaitForErrorLineAsync(l => l.Contains("so our node id is now", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
        }

        var (share, magnet) = await _shoal.ShareAsync(alice.Host, "a", content, portMapping: true, bootstrap);
        await using RunningProcess aliceShares = share;
        IReadOnlyList<Redirection> redirections = await alice.PortMapper!.WaitForRedirectionsAsync(r => MapsBoth(r, alice), Mapped, "Shoal's TCP and UDP ports");
        Log($"alice's router maps {string.Join(", ", redirections)}; magnet {magnet}");
        string announced = await aliceShares.WaitForErrorLineAsync(
            l => l.Contains("announced to the DHT", StringComparison.Ordinal) && !l.Contains(" 0 nodes in the table", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Log($"alice: {announced}");

        await using RunningProcess bobGets = _shoal.Get(bob.Host, "b", magnet, portMapping: false, bootstrap);
        await AssertDownloadedAsync(bobGets, "b", content, ("alice", aliceShares));
        AssertConnectedTo(bobGets, $"{alice.WanAddress}:{redirections.First(r => r.Protocol == "TCP").ExternalPort.ToString(CultureInfo.InvariantCulture)}", "bob");
    }

    /// <summary>
    /// `shoal doctor` in both homes, with port mapping on (the default) in both and a DHT node on the internet to join:
    /// in Alice's (miniupnpd) it finds both ports mapped and says where peers reach her, and exits 0; in Bob's (a router
    /// that maps nothing) it fails the router, says that peers cannot connect to him and what to do about it, and exits
    /// 1. Its text goes to the test's log, its JSON is checked.
    /// </summary>
    [LabFact]
    public async Task Shoal_doctor_tells_a_mapped_home_it_is_reachable_and_an_unmapped_home_what_to_do()
    {
        await using HomeLab lab = await HomeLab.CreateAsync(DelayLineSettings.Internet, _folder);
        Home alice = await lab.AddHomeAsync("a", portMapping: true);
        Home bob = await lab.AddHomeAsync("b", portMapping: false);
        InternetHost dht = await lab.AddInternetHostAsync("dht");
        string tiny = ContentSamples.RandomFile(Path.Combine(_folder, "bootstrap.bin"), 16 << 10, seed: 42);
        var (node, _) = await _shoal.ShareAsync(dht.Namespace, "dht", tiny, portMapping: false);
        await using RunningProcess nodeRuns = node;
        string[] doctor = ["--port", LabShoal.Port.ToString(CultureInfo.InvariantCulture), "--dht-bootstrap", LabShoal.EndPoint(dht.Address), "--wait", "10"];

        ProcessResult[] texts = await Task.WhenAll(
            _shoal.DoctorAsync(alice.Host, "a", portMapping: true, doctor),
            _shoal.DoctorAsync(bob.Host, "b", portMapping: true, doctor));
        foreach (var (home, text) in new[] { (alice, texts[0]), (bob, texts[1]) })
        {
            Log($"shoal doctor in {home} (exit {text.ExitCode}):{Environment.NewLine}{text.Output}{text.Error}");
        }

        ProcessResult[] jsons = await Task.WhenAll(
            _shoal.DoctorAsync(alice.Host, "a", portMapping: true, [.. doctor, "--json"]),
            _shoal.DoctorAsync(bob.Host, "b", portMapping: true, [.. doctor, "--json"]));
        using JsonDocument mapped = DoctorJson(jsons[0], alice);
        using JsonDocument unmapped = DoctorJson(jsons[1], bob);
        JsonElement aliceFacts = mapped.RootElement.GetProperty("facts");
        Assert.True(texts[0].ExitCode == 0 && jsons[0].ExitCode == 0, $"doctor found a problem in the mapped home: {jsons[0].Output}");
        Assert.All(aliceFacts.GetProperty("mappings").EnumerateArray(), m => Assert.Equal("mapped", m.GetProperty("state").GetString()));
        Assert.Equal(2, aliceFacts.GetProperty("mappings").GetArrayLength());
        Assert.Equal(alice.WanAddress.ToString(), aliceFacts.GetProperty("externalAddress").GetString());
        Assert.Equal(LabShoal.EndPoint(alice.WanAddress), aliceFacts.GetProperty("reachableAt").GetString());
        Assert.Equal("ok", Verdict(mapped).GetProperty("level").GetString());

        JsonElement bobFacts = unmapped.RootElement.GetProperty("facts");
        Assert.True(jsons[1].ExitCode == 1, $"doctor found nothing wrong in the unmapped home (exit {jsons[1].ExitCode}): {jsons[1].Output}");
        Assert.Contains(
            unmapped.RootElement.GetProperty("findings").EnumerateArray(),
            f => f.GetProperty("topic").GetString() == "router" && f.GetProperty("level").GetString() == "problem" && !string.IsNullOrWhiteSpace(f.GetProperty("advice").GetString()));
        Assert.DoesNotContain(bobFacts.GetProperty("mappings").EnumerateArray(), m => m.GetProperty("state").GetString() == "mapped");
        Assert.Equal(JsonValueKind.Null, bobFacts.GetProperty("reachableAt").ValueKind);
        JsonElement verdict = Verdict(unmapped);
        Assert.NotEqual("ok", verdict.GetProperty("level").GetString());
        Assert.False(string.IsNullOrWhiteSpace(verdict.GetProperty("advice").GetString()), $"no advice with the verdict: {verdict}");
    }

    /// <summary>The doctor's closing finding, whether peers on the internet can connect.</summary>
    private static JsonElement Verdict(JsonDocument doctor) =>
        doctor.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("topic").GetString() == "verdict");

    /// <summary>`shoal doctor --json`'s document, or a failure naming what it printed instead.</summary>
    private static JsonDocument DoctorJson(ProcessResult doctor, Home home)
    {
        Assert.True(doctor.Output.TrimStart().StartsWith('{'), $"shoal doctor --json in {home} exited {doctor.ExitCode} without JSON: {doctor.Output} {doctor.Error}");
        return JsonDocument.Parse(doctor.Output);
    }

    /// <summary>Both of Shoal's ports (TCP and UDP, for uTP and the DHT) redirected to the home's host.</summary>
    private static bool MapsBoth(IReadOnlyList<Redirection> redirections, Home home) =>
        redirections.Any(r => r.Protocol == "TCP" && r.To.Equals(new IPEndPoint(home.HostAddress, LabShoal.Port)))
        && redirections.Any(r => r.Protocol == "UDP" && r.To.Equals(new IPEndPoint(home.HostAddress, LabShoal.Port)));

    /// <summary>4 MiB of random bytes and a torrent of them made by `shoal create`.</summary>
    private async Task<(string Content, string Torrent)> ContentAsync()
    {
        string content = ContentSamples.RandomFile(Path.Combine(_folder, "data.bin"), ContentSize, seed: 16);
        string torrent = Path.Combine(_folder, "data.torrent");
        ProcessResult created = await Tools.ShoalAsync("create", content, "-o", torrent, "--piece-size", "64K");
        Assert.True(created.ExitCode == 0, $"shoal create: {created.Error}");
        return (content, torrent);
    }

    /// <summary>Waits for a `shoal get` to finish, and checks what it wrote; if it overruns, logs its connections and those of <paramref name="others"/>.</summary>
    private async Task AssertDownloadedAsync(RunningProcess get, string name, string content, params (string Name, RunningProcess Process)[] others)
    {
        int code;
        try
        {
            code = await get.WaitForExitAsync(Transfer);
        }
        catch (TimeoutException)
        {
            foreach (var (other, process) in others.Prepend((name, get)))
            {
                LogConnections(other, process);
            }

            throw;
        }

        Log($"{name}: exited {code}; {get.ErrorLines.Concat(get.OutputLines).LastOrDefault(l => l.StartsWith("fetched ", StringComparison.Ordinal)) ?? "no 'fetched' line"}");
        Assert.True(code == 0, $"{name}'s shoal get exited with {code}: {get.Tail(15)}");
        Transfers.AssertSameContent(content, Path.Combine(_shoal.DownloadFolder(name), Path.GetFileName(content)));
    }

    /// <summary>The process's debug log says it had a connection to <paramref name="endPoint"/> (`connected to ADDRESS:PORT (…)`).</summary>
    private static void AssertConnectedTo(RunningProcess process, string endPoint, string who) => Assert.True(
        process.ErrorLines.Any(l => l.Contains($"connected to {endPoint} ", StringComparison.Ordinal)),
        $"{who} never connected to {endPoint}: {process.Tail(15)}");

    /// <summary>
    /// The payload bytes a process received over its closed connections to <paramref name="endPoint"/>, from the engine's
    /// debug lines `connection to ADDRESS:PORT over Utp closed: … (N payload bytes received on it)`.
    /// </summary>
    private static long PayloadReceivedFrom(RunningProcess process, string endPoint) => process.ErrorLines
        .Select(l => ClosedConnection().Match(l))
        .Where(m => m.Success && m.Groups["peer"].Value == endPoint)
        .Sum(m => long.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture));

    /// <summary>The engine's debug lines about a process's connections (made, failed, closed), for the test's log.</summary>
    private void LogConnections(string who, RunningProcess process)
    {
        foreach (string line in process.ErrorLines.Where(l => l.Contains("connect", StringComparison.Ordinal) || l.Contains("dial", StringComparison.Ordinal) || l.Contains("new peer", StringComparison.Ordinal) || l.Contains("hole punch", StringComparison.Ordinal) || l.Contains("DHT", StringComparison.Ordinal) || l.Contains("metadata", StringComparison.OrdinalIgnoreCase)))
        {
            Log($"{who}: {line}");
        }
    }

    private void Log(string line) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {line}");

    [GeneratedRegex(@"connection to (?<peer>\S+) over \S+ closed: .*\((?<bytes>[0-9]+) payload bytes received on it\)")]
    private static partial Regex ClosedConnection();
}
