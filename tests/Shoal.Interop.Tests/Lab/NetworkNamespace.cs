using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// A Linux network namespace made for one test: its own interfaces, addresses, routes and ports, with only
/// `lo` (up) until a <see cref="VethLink"/> joins it to another. Programs run inside it through
/// `ip netns exec`: <see cref="RunAsync"/> for short commands, <see cref="Start"/> for long ones (`shoal share`).
/// Deleted on dispose, after killing whatever still runs in it.
/// </summary>
/// <remarks>
/// Named <c>shoal-lab-PID-N-LABEL</c> (this process's id and a counter), so parallel test runs never collide;
/// the first namespace a process makes deletes the <c>shoal-lab-*</c> ones whose process is gone (left by a
/// crashed or killed run).
/// </remarks>
public sealed partial class NetworkNamespace : IAsyncDisposable
{
    private const string Prefix = "shoal-lab-";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<string?> WhyUnavailable = new(Probe);
    private static readonly Lazy<Task> StaleRemoved = new(RemoveStaleAsync);
    private static int _counter;

    private NetworkNamespace(string name)
    {
        Name = name;
    }

    /// <summary>The name `ip netns` knows it by.</summary>
    public string Name { get; }

    /// <summary>Why no namespace (with a veth pair and a tbf qdisc) can be made here; null when one can. Probed once.</summary>
    public static string? Unavailable => WhyUnavailable.Value;

    /// <summary>A new namespace with `lo` up; <paramref name="label"/> (letters and digits) only makes its name readable.</summary>
    public static async Task<NetworkNamespace> CreateAsync(string label)
    {
        Assert.True(LabelPattern().IsMatch(label), $"namespace label '{label}': letters, digits and dashes only");
        await StaleRemoved.Value;
        int number = Interlocked.Increment(ref _counter);
        string name = $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{number.ToString(CultureInfo.InvariantCulture)}-{label}";
        await RunIpAsync("netns", "add", name);
        var created = new NetworkNamespace(name);
        try
        {
            await RunIpAsync("-n", name, "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a short command inside the namespace to completion (killed if it overruns <paramref name="timeout"/>).</summary>
    public Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", Name, fileName, .. arguments], timeout: timeout ?? CommandTimeout, environment: environment);

    /// <summary>
    /// Starts a long-running program inside the namespace. `ip netns exec` replaces itself with the program, so the
    /// process's id is the program's and ending the <see cref="RunningProcess"/> ends the program.
    /// </summary>
    public RunningProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunningProcess.Start("ip", ["netns", "exec", Name, fileName, .. arguments], workingDirectory, environment);

    /// <summary>Runs `ip -n NAME ARGUMENTS...` (configuring the namespace from outside it), failing the test if it fails.</summary>
    public Task IpAsync(params string[] arguments) => RunIpAsync(["-n", Name, .. arguments]);

    /// <summary>Sets a sysctl of the namespace (the `net.*` ones are its own), failing the test if the kernel refuses.</summary>
    public async Task SetSysctlAsync(string key, string value)
    {
        ProcessResult set = await RunAsync("sysctl", ["-w", $"{key}={value}"]);
        Assert.True(set.ExitCode == 0, $"sysctl {key}={value} in {Name}: {set.Error.Trim()}");
    }

    /// <summary>Forwards IPv4 packets between its interfaces: a router.</summary>
    public Task EnableForwardingAsync() => SetSysctlAsync("net.ipv4.ip_forward", "1");

    /// <summary>A route to <paramref name="destination"/> (e.g. 10.77.3.0/24) through the neighbour <paramref name="via"/>.</summary>
    public Task AddRouteAsync(string destination, System.Net.IPAddress via) => IpAsync("route", "add", destination, "via", via.ToString());

    /// <summary>Kills every process still inside the namespace (by the ids `ip netns pids` gives), then deletes it.</summary>
    public async ValueTask DisposeAsync() => await DeleteAsync(Name);

    private static async Task DeleteAsync(string name)
    {
        ProcessResult pids = await ProcessRunner.RunAsync("ip", ["netns", "pids", name], timeout: CommandTimeout);
        foreach (string pid in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await ProcessRunner.RunAsync("kill", ["-KILL", pid], timeout: CommandTimeout);
        }

        ProcessResult deleted = await ProcessRunner.RunAsync("ip", ["netns", "delete", name], timeout: CommandTimeout);
        Assert.True(deleted.ExitCode == 0 || !await ExistsAsync(name), $"ip netns delete {name}: {deleted.Error.Trim()}");
    }

    private static async Task<bool> ExistsAsync(string name) => (await ListAsync()).Contains(name);

    /// <summary>The namespaces `ip netns list` shows, by name (it prints `NAME (id: N)` for those with an id).</summary>
    private static async Task<string[]> ListAsync()
    {
        ProcessResult list = await ProcessRunner.RunAsync("ip", ["netns", "list"], timeout: CommandTimeout);
        return [.. list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => line.Split(' ')[0])];
    }

    /// <summary>Deletes the lab namespaces of processes that no longer run: what a crashed or killed test run left.</summary>
    private static async Task RemoveStaleAsync()
    {
        foreach (string name in await ListAsync())
        {
            Match owner = OwnerPattern().Match(name);
            if (owner.Success && int.TryParse(owner.Groups["pid"].Value, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
            {
                await DeleteAsync(name);
            }
        }
    }

    private static async Task RunIpAsync(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("ip", arguments, timeout: CommandTimeout);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', arguments)}: {result.Error.Trim()}");
    }

    /// <summary>Makes a namespace with a veth pair shaped by tbf, the kernel features the lab needs, and deletes it.</summary>
    private static string? Probe()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "the network lab needs root (ip netns, veth pairs, tc)";
        }

        string name = $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-probe";
        (string What, string[] Arguments)[] steps =
        [
            ("ip netns add", ["ip", "netns", "add", name]),
            ("a veth pair", ["ip", "-n", name, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1"]),
            ("a tbf qdisc", ["tc", "-n", name, "qdisc", "add", "dev", "probe0", "root", "tbf", "rate", "1mbit", "burst", "10000", "latency", "50ms"]),
        ];
        try
        {
            foreach (var (what, arguments) in steps)
            {
                var (code, error) = RunNow(arguments);
                if (code != 0)
                {
                    return $"{what} is not permitted here: {error}";
                }
            }

            return null;
        }
        finally
        {
            RunNow(["ip", "netns", "delete", name]);
        }
    }

    private static (int ExitCode, string Error) RunNow(string[] command)
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(command[0], command[1..]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            return (-1, $"{command[0]}: {missing.Message}");
        }
    }

    [GeneratedRegex(@"^shoal-lab-(?<pid>\d+)-")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex LabelPattern();
}
