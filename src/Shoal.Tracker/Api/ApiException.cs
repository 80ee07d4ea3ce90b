namespace Shoal.Tracker.Api;

/// <summary>A request the API refuses: the HTTP status and the message of its <c>{"error"}</c> answer.</summary>
internal sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
