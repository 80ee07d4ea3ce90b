using System.Net;

namespace Shoal.Tracker.Index;

/// <summary>Who registers a torrent: a logged-in user (null on a tracker open to anyone) from an address.</summary>
internal readonly record struct Registrant(long? UserId, IPAddress Address);
