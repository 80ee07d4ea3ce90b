namespace Shoal.Tracker.Swarms;

/// <summary>How many swarms and peers a store holds right now, cheap enough to read on every metrics scrape.</summary>
public interface ISwarmTotals
{
    int SwarmCount { get; }

    int PeerCount { get; }
}
