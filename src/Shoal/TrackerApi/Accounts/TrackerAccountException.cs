using System.Net;

namespace Shoal.TrackerApi.Accounts;

/// <summary>
/// A tracker's account or group API could not be used: the tracker is unreachable or silent, refused the
/// request (its <c>{"error": …}</c> message and <see cref="Status"/>), or answered something that is not
/// the API. The message is one line that names the tracker.
/// </summary>
public sealed class TrackerAccountException : Exception
{
    public TrackerAccountException(string message)
        : base(message)
    {
    }

    public TrackerAccountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TrackerAccountException(string message, HttpStatusCode? status, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The HTTP status of a refusal (401: no or bad token, 403: not allowed…); <see langword="null"/> when there was no answer.</summary>
    public HttpStatusCode? Status { get; }
}
