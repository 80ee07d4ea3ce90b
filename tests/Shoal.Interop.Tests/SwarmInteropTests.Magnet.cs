using System.Text.Json;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests;

/// <summary>Magnet links both ways (BEP 9): each side fetches the metadata from the other, then the content.</summary>
public sealed partial class SwarmInteropTests
{
    public static TheoryData<string, string> MagnetContents => new()
    {
        { "multi", "v1" },
        { "multi", "hybrid" },
    };

    [Theory]
    [MemberData(nameof(MagnetContents))]
    public async Task Shoal_gets_a_magnet_from_a_libtorrent_seed(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", MagnetOf(torrent), "-o", output, "--port", Port(), "--peer", seed.Endpoint], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Assert.Equal(Path.Combine(output, name), get.Output.Trim());
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
    }

    [Theory]
    [MemberData(nameof(MagnetContents))]
    public async Task Libtorrent_gets_a_magnet_from_shoal_share(string name, string version)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf(name), version, SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf(name), torrent);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), share.Magnet, output, "--port", Port(), "--connect", share.Endpoint, "--timeout", "90"],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        JsonElement finished = LibtorrentSeed.Json(get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Transfers.AssertSameContent(samples.PathOf(name), Path.Combine(output, name));
        await share.StopAsync();
    }

    /// <summary>
    /// A v2-only magnet (urn:btmh only): after the metadata, Shoal asks libtorrent for each file's piece layer in BEP 52
    /// hash requests. libtorrent's own log of the messages it received and answered, and Shoal's count, both show them.
    /// </summary>
    [Fact]
    public async Task Shoal_gets_a_v2_only_magnet_from_libtorrent_asking_it_for_the_piece_layers()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf("multi"), "v2", SwarmSamples.PieceLength);
        string magnet = MagnetOf(torrent);
        Assert.DoesNotContain("urn:btih", magnet, StringComparison.Ordinal);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root, extra: ["--hash-log"]);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", magnet, "-o", output, "--port", Port(), "--peer", seed.Endpoint, "-v"], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Transfers.AssertSameContent(samples.PathOf("multi"), Path.Combine(output, "multi"));

        // a.bin, exact.bin and c.bin are larger than a piece: one request each, at most 512 pieces.
        Assert.Contains("piece layers of 3 file(s) fetched: 3 hash request(s) sent, 3 answer(s) proven", get.Error, StringComparison.Ordinal);
        JsonElement hashes = (await seed.StopWithSummaryAsync()).GetProperty("hash_messages");
        Assert.Equal(3, hashes.GetProperty("hash_requests_received").GetInt32());
        Assert.Equal(3, hashes.GetProperty("hashes_sent").GetInt32());
        Assert.Equal(0, hashes.GetProperty("hash_rejects_sent").GetInt32());
    }

    /// <summary>A hybrid's magnet that names only its v2 hash: metadata over the truncated v2 hash, then the download.</summary>
    [Fact]
    public async Task Shoal_gets_a_hybrid_magnet_told_only_its_v2_hash_from_libtorrent()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf("multi"), "hybrid", SwarmSamples.PieceLength);
        MagnetLink full = MagnetLink.Parse(MagnetOf(torrent));
        string magnet = (full with { InfoHashes = new InfoHashes(null, full.InfoHashes.V2) }).ToUri();
        Assert.DoesNotContain("urn:btih", magnet, StringComparison.Ordinal);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", magnet, "-o", output, "--port", Port(), "--peer", seed.Endpoint], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get exited with {get.ExitCode}: {get.Error}");
        Transfers.AssertSameContent(samples.PathOf("multi"), Path.Combine(output, "multi"));
    }

    /// <summary>A v2-only magnet the other way: libtorrent fetches the metadata from `shoal share`, then asks it for the piece layers.</summary>
    [Fact]
    public async Task Libtorrent_gets_a_v2_only_magnet_from_shoal_asking_it_for_the_piece_layers()
    {
        string torrent = await MakeTorrentAsync(samples.PathOf("multi"), "v2", SwarmSamples.PieceLength);
        await using ShoalShare share = await ShoalShare.StartAsync(samples.PathOf("multi"), torrent);
        Assert.StartsWith("magnet:?xt=urn:btmh:1220", share.Magnet, StringComparison.Ordinal);
        Assert.DoesNotContain("urn:btih", share.Magnet, StringComparison.Ordinal);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Python,
            [Tools.Script("lt_get.py"), share.Magnet, output, "--port", Port(), "--connect", share.Endpoint, "--timeout", "90", "--hash-log"],
            timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"lt_get.py: {get.Output} {get.Error}; shoal share: {share.Tail()}");
        JsonElement finished = LibtorrentSeed.Json(get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("finished", finished.GetProperty("event").GetString());
        Assert.Equal(0, finished.GetProperty("hash_failures").GetInt32());
        Transfers.AssertSameContent(samples.PathOf("multi"), Path.Combine(output, "multi"));

        JsonElement hashes = finished.GetProperty("hash_messages");
        int asked = hashes.GetProperty("hash_requests_sent").GetInt32();
        Assert.True(asked >= 3, $"libtorrent sent {asked} hash requests for three piece layers");
        Assert.Equal(asked, hashes.GetProperty("hashes_received").GetInt32());
        Assert.Equal(0, hashes.GetProperty("hash_rejects_received").GetInt32());
        await share.StopAsync();
    }

    public static TheoryData<string, string> BareInfoHashes => new()
    {
        { "v1", "hex" },
        { "v1", "base32" },
        { "hybrid", "v2" },
    };

    /// <summary>A bare info-hash is a magnet with the hash alone: 40 hex or 32 base32 characters (v1), 64 hex (v2).</summary>
    [Theory]
    [MemberData(nameof(BareInfoHashes))]
    public async Task Shoal_gets_a_bare_info_hash_from_a_libtorrent_seed_named_by_peer(string version, string form)
    {
        string torrent = await MakeTorrentAsync(samples.PathOf("multi"), version, SwarmSamples.PieceLength);
        InfoHashes hashes = TorrentParser.Parse(await File.ReadAllBytesAsync(torrent)).InfoHashes;
        string hash = form switch
        {
            "hex" => hashes.V1!.ToHex(),
            "base32" => Base32Of(hashes.V1!.Span),
            _ => hashes.V2!.ToHex(),
        };
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, samples.Root);

        string output = NewFolder("got");
        ProcessResult get = await ProcessRunner.RunAsync(
            Tools.Shoal, ["get", hash, "-o", output, "--port", Port(), "--peer", seed.Endpoint, "--no-lsd"], timeout: TransferTimeout);

        Assert.True(get.ExitCode == 0, $"shoal get {hash} exited with {get.ExitCode}: {get.Error}");
        Transfers.AssertSameContent(samples.PathOf("multi"), Path.Combine(output, "multi"));
    }

    // RFC 4648 base32, as magnet links write a v1 info-hash in 32 characters.
    private static string Base32Of(ReadOnlySpan<byte> bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new System.Text.StringBuilder();
        for (int bit = 0; bit < bytes.Length * 8; bit += 5)
        {
            int value = 0;
            for (int i = 0; i < 5; i++)
            {
                int at = bit + i;
                value = (value << 1) | (at < bytes.Length * 8 ? (bytes[at / 8] >> (7 - (at % 8))) & 1 : 0);
            }

            text.Append(alphabet[value]);
        }

        return text.ToString();
    }

    private static string MagnetOf(string torrent) => MagnetLink.FromTorrent(TorrentParser.Parse(File.ReadAllBytes(torrent))).ToUri();
}
