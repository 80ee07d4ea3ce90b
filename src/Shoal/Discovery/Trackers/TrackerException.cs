namespace Shoal.Discovery.Trackers;

/// <summary>
/// A tracker could not be used: it is unreachable, it did not answer in time, or it answered
/// something that is not the tracker protocol. A tracker's own <c>failure reason</c> is not an
/// exception: it is returned in the response.
/// </summary>
public sealed class TrackerException : Exception
{
    public TrackerException(string message)
        : base(message)
    {
    }

    public TrackerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
