using Shoal.Storage;

namespace Shoal.Tests.Storage;

/// <summary>
/// What can be tested of <see cref="AtomicFile"/>: the content, the temporary file's removal, and that
/// the folder flush reaches fsync. That the rename survives a power cut cannot be shown by a unit test.
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_file_is_written_then_replaced_whole_and_no_temporary_file_stays()
    {
        string path = Path.Combine(_folder.Path, "state.json");

        await AtomicFile.WriteAllBytesAsync(path, "first"u8.ToArray(), CancellationToken.None);
        await AtomicFile.WriteAllBytesAsync(path, "second"u8.ToArray(), CancellationToken.None);

        Assert.Equal("second"u8.ToArray(), await File.ReadAllBytesAsync(path));
        Assert.Equal([path], Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void The_folder_is_opened_and_fsynced()
    {
        Assert.True(DirectorySync.Flush(_folder.Path));
    }

    [Fact]
    public void A_folder_that_cannot_be_opened_is_not_an_error()
    {
        Assert.False(DirectorySync.Flush(Path.Combine(_folder.Path, "missing")));
    }
}
