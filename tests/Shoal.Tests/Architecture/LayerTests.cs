namespace Shoal.Tests.Architecture;

/// <summary>
/// The folders of a project form layers: a file may use its own folder and the folders listed before
/// it, never one listed after it. The orders here are the ones <c>docs/architecture.md</c> describes.
/// </summary>
public sealed class LayerTests
{
    /// <summary>The engine, lowest first; "" is its root namespace (<c>ByteSize</c>, <c>ShoalVersion</c>).</summary>
    public static readonly string[] Engine =
        ["", "Buffers", "Primitives", "Bencoding", "Metainfo", "Wire", "Storage", "Swarm", "Discovery", "TrackerApi", "Net", "Session"];

    /// <summary>The tracker server, lowest first; its root holds only the host that wires the rest.</summary>
    public static readonly string[] Tracker =
        ["Configuration", "Logging", "Api", "Limits", "Swarms", "Metrics", "Index", "Accounts", "Protocol", "Storage", "Http", "Udp", ""];

    [Fact]
    public void Every_engine_folder_has_a_place_in_the_layers() =>
        Assert.Equal(Engine.Where(f => f.Length > 0).Order(StringComparer.Ordinal), new SourceLayers("src/Shoal", "Shoal").Folders());

    [Fact]
    public void Every_tracker_folder_has_a_place_in_the_layers() =>
        Assert.Equal(Tracker.Where(f => f.Length > 0).Order(StringComparer.Ordinal), new SourceLayers("src/Shoal.Tracker", "Shoal.Tracker").Folders());

    [Fact]
    public void No_engine_file_uses_a_layer_above_its_own() => AssertNoUpwardReference(new SourceLayers("src/Shoal", "Shoal"), Engine);

    [Fact]
    public void No_tracker_file_uses_a_layer_above_its_own() => AssertNoUpwardReference(new SourceLayers("src/Shoal.Tracker", "Shoal.Tracker"), Tracker);

    [Fact]
    public void An_upward_reference_is_found()
    {
        using var folder = new TempFolder();
        string project = Path.Combine(folder.Path, "Lib");
        Write(project, "Low/Codec.cs", "using Lib.High;\nnamespace Lib.Low;\n// Lib.Other in a comment is no reference\nclass Codec { string s = \"Lib.Other\"; }");
        Write(project, "High/Service.cs", "namespace Lib.High;\nclass Service { Lib.Low.Codec c; Host h; }");
        Write(project, "Other/Thing.cs", "namespace Lib.Other;\nclass Thing { }");
        Write(project, "Host.cs", "namespace Lib;\nclass Host { }");

        var references = new SourceLayers(project, "Lib").References().Select(r => (r.From, r.To)).Order().ToList();

        Assert.Equal([("High", ""), ("High", "Low"), ("Low", "High")], references);
    }

    private static void AssertNoUpwardReference(SourceLayers layers, string[] order)
    {
        string[] upward = [.. layers.References()
            .Where(r => Array.IndexOf(order, r.To) > Array.IndexOf(order, r.From))
            .Select(r => $"{r.File}: {Name(r.From)} uses {Name(r.To)}, a layer above it")];

        Assert.True(upward.Length == 0, string.Join('\n', upward));
    }

    private static string Name(string folder) => folder.Length == 0 ? "the root" : folder;

    private static void Write(string project, string relative, string code)
    {
        string path = Path.Combine(project, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, code);
    }
}
