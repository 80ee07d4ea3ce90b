namespace Shoal.Storage;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a torn one: a temporary file,
/// flushed to disk, renamed over the old one, and the folder flushed so the rename is durable too.
/// </summary>
public static class AtomicFile
{
    public static async Task WriteAllBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = $"{fullPath}.{Environment.ProcessId}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
            DirectorySync.Flush(Path.GetDirectoryName(fullPath)!);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
