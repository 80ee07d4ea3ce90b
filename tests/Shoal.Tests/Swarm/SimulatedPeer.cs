namespace Shoal.Tests.Swarm;

/// <summary>A peer of <see cref="ChokerSimulation"/>; it downloads from us only while unchoked.</summary>
internal sealed record SimulatedPeer(int Id, long DownloadRate = 0, long UploadRateWhenUnchoked = 0, bool IsInterested = true, bool IsSnubbed = false);
