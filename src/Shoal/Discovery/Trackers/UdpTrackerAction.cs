namespace Shoal.Discovery.Trackers;

/// <summary>The <c>action</c> field of a UDP tracker packet (BEP 15).</summary>
public enum UdpTrackerAction
{
    /// <summary>Obtain a connection id.</summary>
    Connect = 0,

    /// <summary>Announce.</summary>
    Announce = 1,

    /// <summary>Scrape up to about 74 torrents.</summary>
    Scrape = 2,

    /// <summary>An error from the tracker.</summary>
    Error = 3,
}
