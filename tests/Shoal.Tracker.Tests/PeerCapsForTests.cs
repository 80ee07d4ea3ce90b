using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests;

internal static class PeerCapsForTests
{
    /// <summary>For tests about something else: no cap is ever reached.</summary>
    public static readonly PeerCaps Unlimited = new(int.MaxValue, int.MaxValue, int.MaxValue);
}
