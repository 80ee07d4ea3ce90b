using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Shoal.Interop.Tests.Lab;

/// <summary>One end of a <see cref="VethLink"/>: the namespace it is in, its interface there, and its address.</summary>
public sealed record VethEnd(NetworkNamespace Namespace, string Device, IPAddress Address);

/// <summary>
/// A cable between two <see cref="NetworkNamespace"/>s: a veth pair, one end in each, both up, addressed
/// 10.77.N.1/24 (<see cref="First"/>) and 10.77.N.2/24 (<see cref="Second"/>) with N unique to the link in this
/// process (1 to 254, so one namespace can hold many links: a router). Addresses only need to be unique inside
/// a namespace, so parallel test runs may use the same ones. Each direction can be shaped with a token bucket
/// (<see cref="ShapeAsync"/>). Deleting either end deletes the pair, and deleting a namespace deletes its ends.
/// </summary>
public sealed class VethLink : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static int _counter;

    private VethLink(string subnet, VethEnd first, VethEnd second)
    {
        Subnet = subnet;
        First = first;
        Second = second;
    }

    /// <summary>The link's network, e.g. "10.77.3.0/24": what a route through the link names.</summary>
    public string Subnet { get; }

    /// <summary>The end in the first namespace, at 10.77.N.1.</summary>
    public VethEnd First { get; }

    /// <summary>The end in the second namespace, at 10.77.N.2.</summary>
    public VethEnd Second { get; }

    /// <summary>A veth pair from <paramref name="first"/> to <paramref name="second"/>, addressed 10.77.N.1/24 and 10.77.N.2/24, and up.</summary>
    public static Task<VethLink> CreateAsync(NetworkNamespace first, NetworkNamespace second)
    {
        int n = NextNumber();
        string number = n.ToString(CultureInfo.InvariantCulture);
        return CreateAsync(n, first, IPAddress.Parse($"10.77.{number}.1"), second, IPAddress.Parse($"10.77.{number}.2"), 24);
    }

    /// <summary>
    /// A veth pair addressed as the caller says (both ends in one network of <paramref name="prefixLength"/> bits),
    /// for a lab whose addresses tell what each namespace stands for: 198.51.100.2/30 for a home router's WAN end.
    /// </summary>
    public static Task<VethLink> CreateAsync(NetworkNamespace first, IPAddress firstAddress, NetworkNamespace second, IPAddress secondAddress, int prefixLength) =>
        CreateAsync(NextNumber(), first, firstAddress, second, secondAddress, prefixLength);

    /// <summary>The IPv4 network <paramref name="address"/> is in: its first <paramref name="prefixLength"/> bits, the rest zero.</summary>
    private static IPNetwork NetworkOf(IPAddress address, int prefixLength)
    {
        uint bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        byte[] masked = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(masked, bits & mask);
        return new IPNetwork(new IPAddress(masked), prefixLength);
    }

    private static int NextNumber() => (Interlocked.Increment(ref _counter) % 254) + 1;

    private static async Task<VethLink> CreateAsync(int n, NetworkNamespace first, IPAddress firstAddress, NetworkNamespace second, IPAddress secondAddress, int prefixLength)
    {
        string number = n.ToString(CultureInfo.InvariantCulture);
        var link = new VethLink(
            NetworkOf(firstAddress, prefixLength).ToString(),
            new VethEnd(first, $"lab{number}a", firstAddress),
            new VethEnd(second, $"lab{number}b", secondAddress));

        // Made straight inside the two namespaces: the names never meet those of the host or of another run.
        ProcessResult created = await ProcessRunner.RunAsync(
            "ip", ["link", "add", link.First.Device, "netns", first.Name, "type", "veth", "peer", "name", link.Second.Device, "netns", second.Name], timeout: CommandTimeout);
        Assert.True(created.ExitCode == 0, $"veth pair {link.First.Device}/{link.Second.Device}: {created.Error.Trim()}");
        foreach (VethEnd end in new[] { link.First, link.Second })
        {
            await end.Namespace.IpAsync("address", "add", $"{end.Address}/{prefixLength.ToString(CultureInfo.InvariantCulture)}", "dev", end.Device);
            await end.Namespace.IpAsync("link", "set", end.Device, "up");
        }

        return link;
    }

    /// <summary>The end in <paramref name="inside"/>.</summary>
    public VethEnd EndIn(NetworkNamespace inside) =>
        inside == First.Namespace ? First : inside == Second.Namespace ? Second : throw new ArgumentException($"{inside.Name} is not on the link {Subnet}", nameof(inside));

    /// <summary>The other end from the one in <paramref name="inside"/>: the neighbour a route goes through.</summary>
    public VethEnd PeerOf(NetworkNamespace inside) => EndIn(inside) == First ? Second : First;

    /// <summary>
    /// Shapes what <paramref name="from"/> sends over the link (a root tbf qdisc on its end, replacing any):
    /// `tc qdisc replace dev X root tbf rate R burst B latency L`. Only egress can be shaped this way, so to
    /// shape both directions shape each end.
    /// </summary>
    public async Task ShapeAsync(NetworkNamespace from, TbfShape shape)
    {
        VethEnd end = EndIn(from);
        ProcessResult shaped = await ProcessRunner.RunAsync("tc", ["-n", from.Name, "qdisc", "replace", "dev", end.Device, "root", .. shape.TbfArguments()], timeout: CommandTimeout);
        Assert.True(shaped.ExitCode == 0, $"tc tbf on {end.Device} in {from.Name}: {shaped.Error.Trim()}");
    }

    /// <summary>The bytes the end in <paramref name="from"/> has sent so far (the interface's counter, headers included).</summary>
    public async Task<long> SentBytesAsync(NetworkNamespace from)
    {
        VethEnd end = EndIn(from);
        ProcessResult shown = await ProcessRunner.RunAsync("ip", ["-n", from.Name, "-j", "-s", "link", "show", "dev", end.Device], timeout: CommandTimeout);
        Assert.True(shown.ExitCode == 0, $"ip -s link show {end.Device} in {from.Name}: {shown.Error.Trim()}");
        using var json = JsonDocument.Parse(shown.Output);
        return json.RootElement[0].GetProperty("stats64").GetProperty("tx").GetProperty("bytes").GetInt64();
    }

    /// <summary>`tc -s qdisc show` of the end in <paramref name="from"/>: what was sent, dropped and queued, for a test's log.</summary>
    public async Task<string> QueueStatsAsync(NetworkNamespace from)
    {
        VethEnd end = EndIn(from);
        ProcessResult shown = await ProcessRunner.RunAsync("tc", ["-n", from.Name, "-s", "qdisc", "show", "dev", end.Device], timeout: CommandTimeout);
        return string.Join(" ", shown.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Deletes the pair, unless a namespace it was in is gone already (which took the pair with it).</summary>
    public async ValueTask DisposeAsync() =>
        await ProcessRunner.RunAsync("ip", ["-n", First.Namespace.Name, "link", "delete", First.Device], timeout: CommandTimeout);
}

/// <summary>
/// A token bucket filter (tc's tbf): at most <see cref="BitsPerSecond"/> on average, bursts of up to
/// <see cref="BurstBytes"/> at interface speed, and a queue holding what waits, up to <see cref="Latency"/>'s worth of
/// the rate (tbf drops beyond it). The queue is where delay builds when a flow sends faster than the rate.
/// </summary>
public sealed record TbfShape(long BitsPerSecond, int BurstBytes, TimeSpan Latency)
{
    /// <summary>How many bytes may wait in the queue: tbf's limit, the rate times the latency plus the burst.</summary>
    public long QueueBytes => (long)(BitsPerSecond / 8.0 * Latency.TotalSeconds) + BurstBytes;

    /// <summary>"tbf rate Rbit burst B latency Lms": the qdisc's part of a `tc qdisc add|replace` command.</summary>
    public string[] TbfArguments() =>
    [
        "tbf",
        "rate", $"{BitsPerSecond.ToString(CultureInfo.InvariantCulture)}bit",
        "burst", BurstBytes.ToString(CultureInfo.InvariantCulture),
        "latency", $"{((long)Latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms",
    ];

    public override string ToString() =>
        $"tbf {BitsPerSecond / 1e6:0.###} Mbit/s, burst {BurstBytes} B, queue {Latency.TotalMilliseconds:0} ms ({QueueBytes / 1e6:0.00} MB)";
}
