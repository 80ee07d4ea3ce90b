namespace Shoal.Node.Api;

/// <summary>A request refused with a 4xx status and a reason for the caller.</summary>
internal sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
