namespace Shoal.TrackerApi.Index;

/// <summary>
/// A tracker's file index could not be used: the tracker is unreachable or silent, refused the request
/// (its <c>{"error": …}</c> message is in <see cref="Exception.Message"/>), or answered something that
/// is not the index API. The message is one line that names the tracker.
/// </summary>
public sealed class TrackerIndexException : Exception
{
    public TrackerIndexException(string message)
        : base(message)
    {
    }

    public TrackerIndexException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
