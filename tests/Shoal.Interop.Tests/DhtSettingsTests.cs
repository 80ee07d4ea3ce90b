using System.Globalization;
using System.Net;
using System.Text.Json;
using Shoal.Cli;
using Shoal.Discovery.Dht;

namespace Shoal.Interop.Tests;

/// <summary>
/// Dht:Bootstrap: the well-known routers by default, replaced by --dht-bootstrap or the setting, "none" or empty for none.
/// Only loopback nodes are joined here: the routers' names are parsed, never resolved nor contacted.
/// </summary>
public sealed class DhtSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-dht-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_default_is_the_four_well_known_routers_and_none_or_empty_means_none()
    {
        Assert.Equal(
            [new DnsEndPoint("router.bittorrent.com", 6881), new DnsEndPoint("dht.transmissionbt.com", 6881), new DnsEndPoint("router.utorrent.com", 6881), new DnsEndPoint("dht.libtorrent.org", 25401)],
            SessionFlags.BootstrapNodes([ShoalConfiguration.DefaultDhtBootstrap]));
        Assert.Empty(SessionFlags.BootstrapNodes(["none"]));
        Assert.Empty(SessionFlags.BootstrapNodes(["NONE"]));
        Assert.Empty(SessionFlags.BootstrapNodes([""]));
        Assert.Equal([new DnsEndPoint("a.example", 1), new IPEndPoint(IPAddress.Loopback, 2)], SessionFlags.BootstrapNodes(["a.example:1, 127.0.0.1:2"]));
    }

    [Fact]
    public void Tests_start_shoal_with_no_bootstrap_node()
    {
        Assert.Equal("none", Environment.GetEnvironmentVariable("SHOAL_Dht__Bootstrap"));
    }

    [Fact]
    public async Task Shoal_dht_joins_through_the_flag_or_the_setting_and_none_removes_them()
    {
        await using var router = new DhtService(0);
        await router.StartAsync([]);
        string node = $"127.0.0.1:{router.Port}";

        JsonElement byFlag = await DhtJsonAsync(new Dictionary<string, string>(), "--dht-bootstrap", node);
        JsonElement bySetting = await DhtJsonAsync(new Dictionary<string, string> { ["SHOAL_Dht__Bootstrap"] = node });
        JsonElement removed = await DhtJsonAsync(new Dictionary<string, string> { ["SHOAL_Dht__Bootstrap"] = node }, "--dht-bootstrap", "none");

        foreach (JsonElement joined in new[] { byFlag, bySetting })
        {
            JsonElement entry = Assert.Single(joined.GetProperty("bootstrap").EnumerateArray());
            Assert.Equal(node, entry.GetProperty("name").GetString());
            Assert.True(entry.GetProperty("answered").GetBoolean(), joined.ToString());
            Assert.Equal(1, joined.GetProperty("goodNodes").GetInt32());
        }

        Assert.Empty(removed.GetProperty("bootstrap").EnumerateArray());
        Assert.Equal(0, removed.GetProperty("routingTable").GetInt32());
    }

    /// <summary>`shoal dht --json` for two seconds, with a data folder of its own so that no saved table joins it.</summary>
    private async Task<JsonElement> DhtJsonAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        environment["SHOAL_DATA_DIR"] = Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName;
        string port = Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture);
        ProcessResult result = await Tools.ShoalAsync(environment, ["dht", "--json", "--wait", "2", "--port", port, .. arguments]);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement;
    }
}
