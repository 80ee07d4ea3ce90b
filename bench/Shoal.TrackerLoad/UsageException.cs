namespace Shoal.TrackerLoad;

internal sealed class UsageException(string message) : Exception(message);
