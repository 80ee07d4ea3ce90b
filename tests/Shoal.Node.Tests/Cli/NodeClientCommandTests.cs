using System.Text.Json;
using Shoal.Interop.Tests;
using Shoal.Tests;

namespace Shoal.Node.Tests.Cli;

/// <summary>`shoal add|list|pause|resume|remove` run as processes against a node started in the test.</summary>
public sealed class NodeClientCommandTests : IDisposable
{
    private static readonly string Shoal = NodeProcess.Shoal;

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Add_share_list_pause_resume_and_remove_drive_the_running_node()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        string file = _folder.File("shared/song.ogg", [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)]);

        ProcessResult added = await RunAsync("add", "--share", file);
        Assert.True(added.ExitCode == 0, added.Error);
        string id = Assert.Single(node.Torrents.All).Id;
        Assert.Equal($"added song.ogg: {id}", added.Output.Trim());
        Assert.Equal("seeding", await WaitForStateAsync(id, "seeding"));

        ProcessResult paused = await RunAsync("pause", id);
        Assert.True(paused.ExitCode == 0, paused.Error);
        Assert.Equal("paused", await WaitForStateAsync(id, "paused"));

        ProcessResult table = await RunAsync("list");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("song.ogg", table.Output, StringComparison.Ordinal);
        Assert.Contains("paused", table.Output, StringComparison.Ordinal);
        Assert.Contains("100.0 %", table.Output, StringComparison.Ordinal);
        Assert.Contains(id[..8], table.Output, StringComparison.Ordinal);

        // The shortened id the 80-column table shows is enough.
        ProcessResult resumed = await RunAsync("resume", id[..8]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.StartsWith("resumed song.ogg", resumed.Output, StringComparison.Ordinal);
        Assert.Equal("seeding", await WaitForStateAsync(id, "seeding"));

        ProcessResult removed = await RunAsync("remove", id, "--delete-files");
        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.Empty(await ListAsync());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Add_a_torrent_file_through_node_url_checks_the_files_in_the_output_folder_and_remove_keeps_them()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        string file = _folder.File("have/data.bin", [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7))]);
        string torrent = Path.Combine(_folder.Path, "data.torrent");
        ProcessResult created = await ProcessRunner.RunAsync(Shoal, ["create", file, "-o", torrent], timeout: TimeSpan.FromSeconds(60));
        Assert.True(created.ExitCode == 0, created.Error);

        ProcessResult added = await RunAsync("add", torrent, "-o", Path.GetDirectoryName(file)!, "--node", node.ApiUrl.ToString());
        Assert.True(added.ExitCode == 0, added.Error);
        string id = Assert.Single(node.Torrents.All).Id;
        Assert.Equal("seeding", await WaitForStateAsync(id, "seeding"));

        ProcessResult removed = await RunAsync("remove", id[..10]);
        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.Equal($"removed {id}", removed.Output.Trim());
        Assert.Empty(node.Torrents.All);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task Add_a_magnet_waits_for_its_metadata_and_a_bad_magnet_is_the_nodes_refusal()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        string hash = new('c', 40);

        ProcessResult added = await RunAsync("add", $"magnet:?xt=urn:btih:{hash}&dn=album");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal($"added album: {hash}", added.Output.Trim());
        Assert.Equal("metadata", await WaitForStateAsync(hash, "metadata"));
        ProcessResult again = await RunAsync("add", $"magnet:?xt=urn:btih:{hash}&dn=album");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal($"already added album: {hash}", again.Output.Trim());

        ProcessResult bad = await RunAsync("add", "magnet:?dn=nothing");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("shoal: the node refused: not a valid magnet link", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_no_torrent_starts_with_is_one_line_and_exit_1()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);

        ProcessResult result = await RunAsync("pause", "ffff0000");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("shoal: no torrent's id starts with ffff0000", result.Error.Trim());
    }

    [Fact]
    public async Task A_wrong_token_is_the_nodes_401_error_on_one_line_and_exit_1()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        string other = Path.Combine(_folder.Path, "other");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "api-token"), "not-the-token\n");

        ProcessResult result = await ProcessRunner.RunAsync(Shoal, ["list", "--node", node.ApiUrl.ToString(), "--data", other], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("shoal: the node refused: send the node's token (DATA/api-token) as Authorization: Bearer TOKEN, or open the web: link that shoal node printed", result.Error.Trim());
    }

    [Fact]
    public async Task Add_needs_exactly_one_of_a_link_a_file_a_hash_and_share_and_exits_2()
    {
        ProcessResult result = await RunAsync("add");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("shoal: give one of a magnet link, a .torrent file, an info-hash and --share PATH", result.Error.Trim());
    }

    [Fact]
    public async Task The_node_refusing_a_request_is_one_line_and_exit_1()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);

        ProcessResult result = await RunAsync("pause", new string('a', 40));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"shoal: the node refused: no torrent has the info-hash {new string('a', 40)}", result.Error.Trim());
    }

    [Fact]
    public async Task List_without_a_running_node_says_how_to_start_one_and_exits_1()
    {
        ProcessResult result = await RunAsync("list");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("shoal: no node running at http://127.0.0.1:9180/; start one with: shoal node", result.Error.Trim());
    }

    [Fact]
    public async Task List_after_the_node_stopped_names_its_old_address_and_exits_1()
    {
        Uri url;
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            url = node.ApiUrl;
        }

        ProcessResult result = await RunAsync("list", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"shoal: no node running at {url}; start one with: shoal node", result.Error.Trim());
    }

    public void Dispose() => _folder.Dispose();

    private Task<ProcessResult> RunAsync(params string[] arguments) => ProcessRunner.RunAsync(
        Shoal,
        [.. arguments, "--data", Path.Combine(_folder.Path, "data")],
        timeout: TimeSpan.FromSeconds(60),
        environment: new Dictionary<string, string> { ["SHOAL_DATA_DIR"] = Path.Combine(_folder.Path, "shoal-data") });

    private async Task<List<JsonElement>> ListAsync()
    {
        ProcessResult result = await RunAsync("list", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement list = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(list.GetProperty("total").GetInt32(), list.GetProperty("torrents").GetArrayLength());
        return [.. list.GetProperty("torrents").EnumerateArray()];
    }

    /// <summary>Runs `shoal list --json` until the torrent is in <paramref name="state"/>, for up to 30 s; returns its last state.</summary>
    private async Task<string?> WaitForStateAsync(string id, string state)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            string? current = (await ListAsync()).Single(t => t.GetProperty("id").GetString() == id).GetProperty("state").GetString();
            if (current == state || DateTime.UtcNow > deadline)
            {
                return current;
            }

            await Task.Delay(100);
        }
    }
}
