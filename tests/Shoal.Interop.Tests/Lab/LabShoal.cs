using System.Globalization;
using System.Net;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// `shoal` in <see cref="HomeLab"/>'s namespaces. Each one has a name (its data folder and download folder under the
/// test's folder), listens on <see cref="Port"/> for TCP and uTP (every namespace has its own ports, so all can use the
/// stable default), logs the engine's debug lines (connections, hole punches, DHT announces) to standard error, and
/// maps its ports on the router only where the test says so (`Net:PortMapping`).
/// </summary>
public sealed class LabShoal(string folder)
{
    public const int Port = 6881;

    private static readonly TimeSpan Started = TimeSpan.FromMinutes(1);

    /// <summary>Where a peer can be reached at <paramref name="address"/>: ADDRESS:6881.</summary>
    public static string EndPoint(IPAddress address) => $"{address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>`shoal share CONTENT` in <paramref name="space"/>, once it listens, and the magnet link it printed first.</summary>
    public async Task<(RunningProcess Share, string Magnet)> ShareAsync(NetworkNamespace space, string name, string content, bool portMapping, params string[] extra)
    {
        RunningProcess share = space.Start(Tools.Shoal, ["share", content, "--port", Port.ToString(CultureInfo.InvariantCulture), "--no-lsd", .. extra], environment: Environment(name, portMapping));
        try
        {
            string magnet = await share.WaitForOutputLineAsync(l => l.StartsWith("magnet:", StringComparison.Ordinal), Started);
            await share.WaitForOutputLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), Started);
            return (share, magnet);
        }
        catch
        {
            await share.DisposeAsync();
            throw;
        }
    }

    /// <summary>`shoal get WHAT` in <paramref name="space"/> into <see cref="DownloadFolder"/>.</summary>
    public RunningProcess Get(NetworkNamespace space, string name, string what, bool portMapping, params string[] extra) =>
        space.Start(Tools.Shoal, ["get", what, "-o", DownloadFolder(name), "--port", Port.ToString(CultureInfo.InvariantCulture), "--no-lsd", .. extra], environment: Environment(name, portMapping));

    /// <summary>`shoal doctor` in <paramref name="space"/>, run to its end.</summary>
    public Task<ProcessResult> DoctorAsync(NetworkNamespace space, string name, bool portMapping, params string[] extra) =>
        space.RunAsync(Tools.Shoal, ["doctor", .. extra], TimeSpan.FromMinutes(1), Environment(name, portMapping));

    /// <summary>
    /// Waits until something in <paramref name="space"/> listens on TCP <see cref="Port"/> (`ss -ltn`, every 100 ms):
    /// for `shoal get`, which prints no `listening on` line, before peers are told to dial it.
    /// </summary>
    public static async Task WaitUntilListeningAsync(NetworkNamespace space, RunningProcess owner)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            ProcessResult listening = await space.RunAsync("ss", ["-H", "-ltn", $"sport = :{Port.ToString(CultureInfo.InvariantCulture)}"]);
            if (listening.ExitCode == 0 && listening.Output.Trim().Length > 0)
            {
                return;
            }

            Assert.False(owner.HasExited, $"{owner.Description} exited before listening: {owner.Tail(10)}");
            Assert.True(clock.Elapsed < Started, $"nothing listens on port {Port} in {space.Name} after {Started}: {owner.Tail(10)}");
            await Task.Delay(100);
        }
    }

    public string DownloadFolder(string name) => Path.Combine(folder, name, "got");

    private Dictionary<string, string> Environment(string name, bool portMapping) => new()
    {
        ["SHOAL_DATA_DIR"] = Path.Combine(folder, name, "data"),
        ["SHOAL_Net__PortMapping"] = portMapping ? "true" : "false",
        ["SHOAL_Logging__LogLevel__Shoal"] = "Debug",
    };
}
