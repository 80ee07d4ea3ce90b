using System.Text.Json;

namespace Shoal.Interop.Tests;

/// <summary>The command-line contract scripts rely on: output lines, JSON fields, exit codes, settings.</summary>
public sealed class CliContractTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Info_json_has_the_documented_fields()
    {
        string torrent = await CreateSampleAsync("--v1", "--tracker", "http://127.0.0.1:6969/announce", "--private", "--comment", "hi");
        ProcessResult result = await Tools.ShoalAsync("info", torrent, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement json = JsonDocument.Parse(result.Output).RootElement;
        foreach (string field in new[] { "name", "totalSize", "pieceLength", "pieceCount", "infoHashV1", "infoHashV2", "private", "trackers", "files", "magnet" })
        {
            Assert.True(json.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(JsonValueKind.Null, json.GetProperty("infoHashV2").ValueKind);
        Assert.Matches("^[0-9a-f]{40}$", json.GetProperty("infoHashV1").GetString());
        Assert.True(json.GetProperty("private").GetBoolean());
        Assert.Equal("http://127.0.0.1:6969/announce", json.GetProperty("trackers")[0].GetString());
        Assert.Equal("sample/a.txt", json.GetProperty("files")[0].GetProperty("path").GetString());
        Assert.Equal(3, json.GetProperty("files")[0].GetProperty("length").GetInt64());
    }

    [Fact]
    public async Task Info_reads_a_magnet_link()
    {
        string magnet = "magnet:?xt=urn:btih:" + new string('a', 40) + "&dn=hello%20world&tr=udp%3A%2F%2F127.0.0.1%3A6969";
        ProcessResult result = await Tools.ShoalAsync("info", magnet, "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        JsonElement json = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("hello world", json.GetProperty("name").GetString());
        Assert.Equal(new string('a', 40), json.GetProperty("infoHashV1").GetString());
        Assert.Equal("udp://127.0.0.1:6969", json.GetProperty("trackers")[0].GetString());
        Assert.Equal(magnet, json.GetProperty("magnet").GetString());
    }

    [Theory]
    [InlineData(1, "info", "{missing}")]
    [InlineData(1, "info", "magnet:?xt=urn:btih:xyz")]
    [InlineData(1, "info", "{garbage}")]
    [InlineData(1, "create", "{missing}", "-o", "{out}")]
    [InlineData(2, "create", "{sample}")]
    [InlineData(2, "create", "{sample}", "-o", "{out}", "--v1", "--v2")]
    [InlineData(2, "create", "{sample}", "-o", "{out}", "--piece-size", "lots")]
    [InlineData(2, "create", "{sample}", "-o", "{out}", "--register")]
    [InlineData(2, "get", "{garbage}", "--tracker", "not-a-url")]
    [InlineData(1, "get", "0123456789abcdef0123456789abcdef012345", "--no-dht", "--no-lsd")]
    [InlineData(1, "get", "zz23456789abcdef0123456789abcdef01234567", "--no-dht", "--no-lsd")]
    [InlineData(2, "get", "{garbage}", "--dht-bootstrap", "no-port")]
    [InlineData(1, "files", "--tracker", "http://127.0.0.1:9/announce")]
    [InlineData(2, "files", "--tracker", "wss://tracker.example/announce")]
    [InlineData(2, "files")]
    [InlineData(2, "info")]
    [InlineData(2, "no-such-command")]
    public async Task Errors_are_one_line_with_the_documented_exit_code(int exitCode, params string[] arguments)
    {
        string sample = Path.Combine(_folder, "sample");
        Directory.CreateDirectory(sample);
        await File.WriteAllTextAsync(Path.Combine(sample, "a.txt"), "abc");
        string garbage = Path.Combine(_folder, "garbage.torrent");
        await File.WriteAllBytesAsync(garbage, [.. "d4:infoi1ee"u8]);
        string[] resolved = [.. arguments.Select(a => a
            .Replace("{missing}", Path.Combine(_folder, "nope"), StringComparison.Ordinal)
            .Replace("{garbage}", garbage, StringComparison.Ordinal)
            .Replace("{sample}", sample, StringComparison.Ordinal)
            .Replace("{out}", Path.Combine(_folder, "out.torrent"), StringComparison.Ordinal))];

        ProcessResult result = await Tools.ShoalAsync(resolved);
        Assert.Equal(exitCode, result.ExitCode);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("shoal: ", lines[0], StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Settings_file_then_environment_then_flags_choose_the_version()
    {
        string config = Path.Combine(_folder, "config");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "settings.json"), """{ "Create": { "Version": "v2", "PieceSize": "64K" } }""");
        var fileOnly = new Dictionary<string, string> { ["SHOAL_CONFIG_DIR"] = config };
        var fileAndEnvironment = new Dictionary<string, string>(fileOnly) { ["SHOAL_CREATE__VERSION"] = "v1" };

        Assert.Contains(": v2,", await CreateOutputAsync(fileOnly), StringComparison.Ordinal);
        Assert.Contains("pieces of 64 KiB", await CreateOutputAsync(fileOnly), StringComparison.Ordinal);
        Assert.Contains("pieces of 32 KiB", await CreateOutputAsync(fileOnly, "--piece-size", "32768"), StringComparison.Ordinal);
        Assert.Contains(": v1,", await CreateOutputAsync(fileAndEnvironment), StringComparison.Ordinal);
        Assert.Contains(": hybrid,", await CreateOutputAsync(fileAndEnvironment, "--hybrid"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_settings_file_is_a_one_line_usage_error()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "settings.json"), "{ not json");
        var environment = new Dictionary<string, string> { ["SHOAL_CONFIG_DIR"] = _folder };
        ProcessResult result = await Tools.ShoalAsync(environment, "info", "magnet:?xt=urn:btih:" + new string('a', 40));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("shoal: cannot read the settings file", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_shows_a_progress_bar_on_a_terminal()
    {
        string sample = await CreateSampleAsync();
        string command = $"{Tools.Shoal} create {Path.Combine(_folder, "sample")} -o {sample}";
        var terminal = new Dictionary<string, string> { ["TERM"] = "xterm" };

        // script(1) gives the command a pseudo-terminal, as a person's shell would.
        ProcessResult result = await ProcessRunner.RunAsync("script", ["-qec", command, "/dev/null"], environment: terminal);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("hashing sample", result.Output, StringComparison.Ordinal);
        Assert.Contains("100%", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_and_the_log_level_variable_turn_on_logging()
    {
        var quiet = new Dictionary<string, string> { ["SHOAL_CONFIG_DIR"] = _folder };
        var debug = new Dictionary<string, string>(quiet) { ["SHOAL_LOGGING__LOGLEVEL__DEFAULT"] = "Debug" };
        string sample = await CreateSampleAsync();
        ProcessResult silent = await Tools.ShoalAsync(quiet, "info", sample);
        ProcessResult logged = await Tools.ShoalAsync(debug, "info", sample);
        ProcessResult verbose = await Tools.ShoalAsync(quiet, "info", sample, "-v");
        Assert.DoesNotContain("dbug", silent.Error, StringComparison.Ordinal);
        Assert.Contains("dbug", logged.Error, StringComparison.Ordinal);
        Assert.Contains("dbug", verbose.Error, StringComparison.Ordinal);
    }

    private async Task<string> CreateOutputAsync(Dictionary<string, string> environment, params string[] flags) =>
        (await CreateAsync(environment, flags)).Output;

    private async Task<string> CreateSampleAsync(params string[] flags)
    {
        await CreateAsync(new Dictionary<string, string>(), flags);
        return Path.Combine(_folder, "sample.torrent");
    }

    private async Task<ProcessResult> CreateAsync(Dictionary<string, string> environment, string[] flags)
    {
        string sample = Path.Combine(_folder, "sample");
        Directory.CreateDirectory(sample);
        await File.WriteAllTextAsync(Path.Combine(sample, "a.txt"), "abc");
        ProcessResult result = await Tools.ShoalAsync(environment, ["create", sample, "-o", Path.Combine(_folder, "sample.torrent"), .. flags]);
        Assert.True(result.ExitCode == 0, result.Error);
        return result;
    }
}
