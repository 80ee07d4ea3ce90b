using System.Net;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Session;

namespace Shoal.Tests.Session;

/// <summary>Content in a temp folder, its torrent, and sessions on 127.0.0.1 to seed and fetch it.</summary>
internal sealed class LoopbackSwarm : IAsyncDisposable
{
    private readonly List<ShoalSession> _sessions = [];

    private LoopbackSwarm(TempFolder folder, string content, Torrent torrent)
    {
        Folder = folder;
        ContentPath = content;
        Torrent = torrent;
    }

    public TempFolder Folder { get; }

    public string ContentPath { get; }

    public Torrent Torrent { get; }

    /// <summary>A folder of three files (one empty) totalling about <paramref name="size"/> bytes.</summary>
    public static async Task<LoopbackSwarm> CreateAsync(int size, TorrentVersion version = TorrentVersion.Hybrid, bool isPrivate = false)
    {
        var folder = new TempFolder();
        folder.File("content/a.bin", TempFolder.RandomBytes(size / 3, 1));
        folder.File("content/sub/b.bin", TempFolder.RandomBytes(size - (size / 3), 2));
        folder.File("content/empty", []);
        string content = System.IO.Path.Combine(folder.Path, "content");
        CreatedTorrent created = await TorrentCreator.CreateAsync(content, new TorrentCreationOptions { Version = version, PieceLength = 64 * 1024, IsPrivate = isPrivate }, null, CancellationToken.None);
        return new LoopbackSwarm(folder, content, created.Torrent);
    }

    public ShoalSession StartSession(string? stateDirectory = null, Func<SessionOptions, SessionOptions>? configure = null)
    {
        var options = new SessionOptions { ListenAddress = IPAddress.Loopback, StateDirectory = stateDirectory };
        var session = ShoalSession.Start(configure?.Invoke(options) ?? options);
        _sessions.Add(session);
        return session;
    }

    public (ShoalSession Session, TorrentHandle Handle) StartSeeder(long uploadLimit = 0)
    {
        ShoalSession session = StartSession();
        TorrentHandle handle = session.Add(Torrent, new AddTorrentOptions { ContentPath = ContentPath, ContentIsVerified = true, UploadLimit = uploadLimit });
        return (session, handle);
    }

    public string DownloadFolder(string name) => System.IO.Path.Combine(Folder.Path, name);

    /// <summary>Every file of the download equals the original.</summary>
    public void AssertDownloaded(string downloadFolder)
    {
        foreach (string original in Directory.EnumerateFiles(ContentPath, "*", SearchOption.AllDirectories))
        {
            string copy = System.IO.Path.Combine(downloadFolder, Torrent.Name, System.IO.Path.GetRelativePath(ContentPath, original));
            Assert.True(File.Exists(copy), $"{copy} is missing");
            Assert.True(File.ReadAllBytes(original).AsSpan().SequenceEqual(File.ReadAllBytes(copy)), $"{copy} differs from the original");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ShoalSession session in _sessions)
        {
            await session.DisposeAsync();
        }

        Folder.Dispose();
    }
}
