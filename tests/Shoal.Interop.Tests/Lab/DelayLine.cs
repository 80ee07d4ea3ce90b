using System.Globalization;
using System.Text.Json;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// How the <see cref="DelayLine"/> treats each packet it forwards: held <see cref="OneWay"/>, or dropped with
/// probability <see cref="Loss"/>. Each packet between two of <see cref="HomeLab"/>'s namespaces crosses the line
/// once per direction, so their round trip is twice <see cref="OneWay"/> and each way loses <see cref="Loss"/>.
/// </summary>
/// <param name="Seed">Seeds the drops, so a run's losses can be replayed (the packets themselves still vary).</param>
public sealed record DelayLineSettings(TimeSpan OneWay, double Loss, int Seed = 16)
{
    /// <summary>The "say 50 ms, 1 %": 25 ms each way, 1 % of the packets of each way dropped.</summary>
    public static DelayLineSettings Internet { get; } = new(TimeSpan.FromMilliseconds(25), 0.01);

    public override string ToString() =>
        $"{OneWay.TotalMilliseconds:0} ms each way ({2 * OneWay.TotalMilliseconds:0} ms round trip), {Loss:P1} loss each way";
}

/// <summary>
/// The lab's stand-in for distance, since the kernel here has no netem: `scripts/delay_line.py` owning a TUN device
/// in the core namespace, and policy routing sending every packet that arrives on a segment's interface into it
/// (`ip rule add iif SEGMENT lookup 100`, table 100 `default dev TUN`). The script holds each packet for the delay,
/// drops some, and writes the rest back into the device, whence the kernel forwards them by the main table (the
/// rule does not match packets arriving on the TUN device itself).
/// </summary>
public sealed class DelayLine : IAsyncDisposable
{
    private const string Table = "100";
    private readonly RunningProcess _process;
    private int _reports;

    private DelayLine(NetworkNamespace core, RunningProcess process, string device, DelayLineSettings settings)
    {
        Core = core;
        _process = process;
        Device = device;
        Settings = settings;
    }

    public NetworkNamespace Core { get; }

    /// <summary>The TUN device's name in the core.</summary>
    public string Device { get; }

    public DelayLineSettings Settings { get; }

    /// <summary>Starts the script in <paramref name="core"/> and makes its device table 100's default route.</summary>
    public static async Task<DelayLine> StartAsync(NetworkNamespace core, DelayLineSettings settings)
    {
        const string device = "delay0";
        RunningProcess process = core.Start(
            Tools.Python,
            [
                Tools.Script("delay_line.py"), "--tun", device,
                "--delay-ms", settings.OneWay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                "--loss", settings.Loss.ToString(CultureInfo.InvariantCulture),
                "--seed", settings.Seed.ToString(CultureInfo.InvariantCulture),
            ]);
        try
        {
            await process.WaitForOutputLineAsync(l => l.Contains("\"ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

            // Packets come back out of the device with sources that route elsewhere: strict reverse-path filtering would drop them.
            await core.SetSysctlAsync("net.ipv4.conf.all.rp_filter", "0");
            await core.SetSysctlAsync($"net.ipv4.conf.{device}.rp_filter", "0");
            await core.IpAsync("route", "add", "default", "dev", device, "table", Table);
            return new DelayLine(core, process, device, settings);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends what arrives on the core's interface <paramref name="device"/> through the line.</summary>
    public Task RouteArrivalsOnAsync(string device) => Core.IpAsync("rule", "add", "iif", device, "lookup", Table);

    /// <summary>The packets the line has forwarded and dropped so far (it prints them on SIGUSR1).</summary>
    public async Task<DelayLineCounts> CountsAsync()
    {
        int report = Interlocked.Increment(ref _reports);
        ProcessResult signalled = await ProcessRunner.RunAsync("kill", ["-USR1", _process.Id.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10));
        Assert.True(signalled.ExitCode == 0, $"kill -USR1 delay_line.py: {signalled.Error}");
        string marker = $"\"report\": {report.ToString(CultureInfo.InvariantCulture)},";
        string line = await _process.WaitForOutputLineAsync(l => l.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        using var json = JsonDocument.Parse(line);
        return new DelayLineCounts(json.RootElement.GetProperty("forwarded").GetInt64(), json.RootElement.GetProperty("dropped").GetInt64());
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary>Packets the <see cref="DelayLine"/> forwarded and dropped, since it started.</summary>
public sealed record DelayLineCounts(long Forwarded, long Dropped)
{
    public static DelayLineCounts operator -(DelayLineCounts after, DelayLineCounts before) =>
        new(after.Forwarded - before.Forwarded, after.Dropped - before.Dropped);

    /// <summary>The share of packets dropped.</summary>
    public double Loss => Forwarded + Dropped == 0 ? 0 : (double)Dropped / (Forwarded + Dropped);

    public override string ToString() => $"{Forwarded} forwarded, {Dropped} dropped ({Loss:P2})";
}
