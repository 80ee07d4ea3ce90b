namespace Shoal.Storage;

/// <summary>A torrent's files or resume data could not be read or written; the message names the file and the cause.</summary>
public sealed class StorageException : IOException
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
