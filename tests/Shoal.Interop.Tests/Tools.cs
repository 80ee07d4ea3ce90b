using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>The programs these tests drive: our `shoal`, and real clients installed by ./test.sh.</summary>
public static class Tools
{
    /// <summary>Debian's python3-libtorrent installs for /usr/bin/python3 only.</summary>
    public const string Python = "/usr/bin/python3";

    public static string Shoal => Path.Combine(AppContext.BaseDirectory, "shoal");

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

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string? Hash(JsonElement json, string property) =>
        json.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
