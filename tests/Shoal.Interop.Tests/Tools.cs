using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>The programs these tests drive: our `shoal`, and real clients installed by ./test.sh.</summary>
public static class Tools
{
    /// <summary>Debian's python3-libtorrent installs for /usr/bin/python3 only.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// The shoal under test: <c>SHOAL_BINARY</c> when set (./test.sh sets it to ./shoal's native build, the one people
    /// run), else the build beside these tests.
    /// </summary>
    public static string Shoal { get; } = Environment.GetEnvironmentVariable("SHOAL_BINARY") is { Length: > 0 } binary ? binary : ManagedShoal;

    /// <summary>
    /// The build beside these tests, on the .NET runtime with its JIT: for a test that reads the process through the
    /// runtime's diagnostics port (EventPipe), which the native build leaves out.
    /// </summary>
    public static string ManagedShoal => Path.Combine(AppContext.BaseDirectory, "shoal");

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "scripts", name);

    public static Task<ProcessResult> ShoalAsync(params string[] arguments) => ProcessRunner.RunAsync(Shoal, arguments);

    public static Task<ProcessResult> ShoalAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ProcessRunner.RunAsync(Shoal, arguments, environment: environment);

    /// <summary>Runs one of our Python helpers and parses the JSON it prints.</summary>
    public static async Task<JsonElement> PythonJsonAsync(string script, params string[] arguments)
    {
        Assert.True(File.Exists(Python), "python3 is missing: run ./test.sh, which installs python3-libtorrent");
        ProcessResult result = await ProcessRunner.RunAsync(Python, [Script(script), .. arguments]);
        Assert.True(result.ExitCode == 0, $"{script} failed (is python3-libtorrent installed? ./test.sh installs it): {result.Error}");
        return JsonDocument.Parse(result.Output).RootElement;
    }

    /// <summary>
    /// A port free a moment ago for TCP and UDP on 127.0.0.1, below the kernel's ephemeral range (32768 and up): a port
    /// the system handed out and took back is the next one it hands to some outgoing connection, and a test holding
    /// 2000 of them took the port a libtorrent peer was about to listen on ("Address already in use").
    /// </summary>
    public static int FreeTcpPort()
    {
        while (true)
        {
            int port = Random.Shared.Next(10_000, 32_768);
            try
            {
                using var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken: another number.
            }
        }
    }

    public static string? Hash(JsonElement json, string property) =>
        json.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
