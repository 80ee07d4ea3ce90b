using Shoal.Discovery.Trackers;

namespace Shoal.Session;

/// <summary>Makes the client of a tracker URL: HTTP(S) on the session's <see cref="HttpClient"/>, UDP (BEP 15), or none for another scheme.</summary>
internal sealed class TrackerClientFactory(HttpClient http, TimeProvider time)
{
    public ITrackerClient? Create(Uri url) => url.Scheme switch
    {
        "http" or "https" => new HttpTrackerClient(url, http),
        "udp" when url.Port is > 0 and <= 65535 && url.DnsSafeHost.Length > 0 => new UdpTrackerClient(url, time),
        _ => null,
    };
}
