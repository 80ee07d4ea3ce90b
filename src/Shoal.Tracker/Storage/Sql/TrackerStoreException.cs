namespace Shoal.Tracker.Storage.Sql;

/// <summary>The tracker's database cannot be opened, read or written; the message says why.</summary>
public sealed class TrackerStoreException : Exception
{
    public TrackerStoreException(string message)
        : base(message)
    {
    }

    public TrackerStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
