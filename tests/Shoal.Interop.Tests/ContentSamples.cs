namespace Shoal.Interop.Tests;

/// <summary>The generated inputs every interop test shares, made once per test run.</summary>
public sealed class ContentSamples : IDisposable
{
    public const int PieceLength = 32 * 1024;

    public ContentSamples()
    {
        Root = Directory.CreateTempSubdirectory("shoal-interop-").FullName;
        File("small.txt", 10_000, 1);
        File("empty.bin", 0, 2);
        File("one-byte.bin", 1, 3);
        File("three-pieces.bin", 3 * PieceLength, 4);
        File("three-pieces-plus-one.bin", (3 * PieceLength) + 1, 5);
        for (int i = 0; i < 50; i++)
        {
            // Odd sizes: some smaller than a block, some spanning pieces, a few empty.
            File($"fifty/file-{i:D2}.dat", i % 13 == 0 ? 0 : ((i * 7919) % 90_001) + (i % 3), 100 + i);
        }

        File("unicode/données/日本語.txt", 5000, 200);
        File("unicode/emoji-😀.bin", 40_000, 201);
        File("unicode/Ωmega", 123, 202);
        File("unicode/e\u0301te\u0301.txt", 777, 203);
        File("unicode/Zebra", 33_333, 204);
        File("nested/a/b/c/d/deep.bin", 70_000, 300);
        File("nested/a/x.txt", 1, 301);
        File("nested/a/b/y.txt", 32_768, 302);
        File("nested/z/.hidden", 99, 303);
        File("nested/a.txt", 65_537, 304);
        File("nested/run.sh", 2_000, 305);
        System.IO.File.SetUnixFileMode(PathOf("nested/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File("tool.bin", 50_000, 306);
        System.IO.File.SetUnixFileMode(PathOf("tool.bin"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(Root, "nested", "empty-folder", "inner"));
    }

    public static IReadOnlyList<string> Names { get; } =
    [
        "small.txt", "empty.bin", "one-byte.bin", "three-pieces.bin", "three-pieces-plus-one.bin", "fifty", "unicode", "nested", "tool.bin",
    ];

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes <paramref name="length"/> random bytes to <paramref name="path"/> a mebibyte at a time (large files too) and returns the path.</summary>
    public static string RandomFile(string path, long length, int seed)
    {
        var random = new Random(seed);
        byte[] chunk = new byte[1024 * 1024];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        for (long left = length; left > 0; left -= chunk.Length)
        {
            random.NextBytes(chunk);
            stream.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void File(string relative, int length, int seed)
    {
        string full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        System.IO.File.WriteAllBytes(full, bytes);
    }
}
