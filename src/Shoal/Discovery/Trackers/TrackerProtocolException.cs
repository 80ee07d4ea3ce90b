namespace Shoal.Discovery.Trackers;

/// <summary>
/// A tracker request or response breaks the tracker protocol (BEP 3, 15, 23, 48). The message is
/// short and plain so that a tracker can send it back as the BEP 3 <c>failure reason</c>.
/// </summary>
public sealed class TrackerProtocolException(string message) : FormatException(message);
