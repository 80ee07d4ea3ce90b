using Shoal.Bencoding;
using Shoal.Metainfo;

namespace Shoal.Tests.Metainfo;

public class PathSafetyTests
{
    public static TheoryData<string[], string> HostilePaths => new()
    {
        { ["..", "..", "etc", "passwd"], "'..' component" },
        { ["/abs"], "path separator" },
        { ["a/../../b"], "path separator" },
        { ["a", "..", "..", "b"], "'..' component" },
        { ["ok", "bad\0name"], "NUL character" },
        { ["..\\x"], "path separator" },
        { ["a", "", "b"], "empty path component" },
        { ["."], "'.' component" },
        { ["tab\tname"], "control character U+0009" },
        { ["C:evil"], "drive-qualified" },
        { ["photo\u202Egpj.exe"], "bidirectional control U+202E" },
        { ["a\u2066b"], "bidirectional control U+2066" },
        { ["a\u200Fb"], "bidirectional control U+200F" },
    };

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void Hostile_v1_paths_are_rejected_naming_the_entry(string[] path, string problem)
    {
        byte[] torrent = HostileTorrents.V1MultiFile("folder", ["fine.txt"], path);
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(torrent));
        Assert.Contains("file entry 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..", "'..' component")]
    [InlineData("/etc", "path separator")]
    [InlineData("a/b", "path separator")]
    [InlineData("x\0y", "NUL character")]
    [InlineData("report\u202Efdp.exe", "bidirectional control U+202E")]
    public void Hostile_torrent_names_are_rejected(string name, string problem)
    {
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(HostileTorrents.V1SingleFile(name)));
        Assert.Contains("unsafe torrent name", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("\u0001")]
    public void Hostile_v2_file_tree_keys_are_rejected(string key)
    {
        var tree = new BDictionary().Set("ok", HostileTorrents.FileNode(5))
            .Set("dir", new BDictionary().Set(key, HostileTorrents.FileNode(5)));
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(HostileTorrents.V2WithTree("t", tree)));
        Assert.Contains("dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_paths_are_rejected()
    {
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(HostileTorrents.V1MultiFile("f", ["a"], ["a"])));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_used_as_file_and_folder_is_rejected()
    {
        var error = Assert.Throws<MetainfoException>(() => TorrentParser.Parse(HostileTorrents.V1MultiFile("f", ["a"], ["a", "b"])));
        Assert.Contains("file and as a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_under_keeps_paths_inside_the_folder()
    {
        string root = Path.Combine(Path.GetTempPath(), "shoal-root");
        Assert.Equal(Path.Combine(root, "a", "b.txt"), PathSafety.ResolveUnder(root, ["a", "b.txt"]));
        Assert.Throws<MetainfoException>(() => PathSafety.ResolveUnder(root, ["..", "x"]));
        Assert.Throws<MetainfoException>(() => PathSafety.ResolveUnder(root, ["/etc/passwd"]));
    }
}
