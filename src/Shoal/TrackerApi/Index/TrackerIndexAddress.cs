namespace Shoal.TrackerApi.Index;

/// <summary>Where a Shoal tracker's file index API lives, given one of its announce URLs.</summary>
public static class TrackerIndexAddress
{
    /// <summary>
    /// <c>http(s)://host:port/announce</c> gives <c>http(s)://host:port</c>; <c>udp://host:port[/announce]</c>
    /// gives <c>http://host:port</c>, because a Shoal tracker serves HTTP on the port number its UDP tracker
    /// uses. Another scheme is a <see cref="TrackerIndexException"/>.
    /// </summary>
    public static Uri FromAnnounceUrl(Uri announceUrl)
    {
        ArgumentNullException.ThrowIfNull(announceUrl);
        string? scheme = announceUrl.IsAbsoluteUri ? announceUrl.Scheme : null;
        scheme = scheme switch
        {
            "http" or "https" => scheme,
            "udp" => Uri.UriSchemeHttp,
            _ => throw new TrackerIndexException($"'{announceUrl}' is not an http, https or udp tracker URL"),
        };
        return new UriBuilder(scheme, announceUrl.Host, announceUrl.Port).Uri;
    }
}
