namespace Shoal.TrackerApi.Accounts;

/// <summary>
/// A logged-in user's announce URLs on a Shoal tracker: a torrent names the tracker's plain announce URL
/// (<c>http://host:port/announce</c>, never a passkey), and the client announces to
/// <c>/announce/PASSKEY</c> instead, so that the tracker knows who asks (docs/tracker-api.md).
/// </summary>
public sealed class PasskeyAnnounceUrl
{
    private const string AnnouncePath = "/announce";
    private readonly Uri _plain;
    private readonly string _passkey;

    /// <summary>Announces to <paramref name="plainAnnounceUrl"/> go to its passkey URL.</summary>
    public PasskeyAnnounceUrl(Uri plainAnnounceUrl, string passkey)
    {
        ArgumentNullException.ThrowIfNull(plainAnnounceUrl);
        ArgumentException.ThrowIfNullOrEmpty(passkey);
        _plain = plainAnnounceUrl;
        _passkey = passkey;
    }

    /// <summary>The plain announce URL of the tracker whose API is at <paramref name="baseAddress"/>.</summary>
    public static Uri PlainFor(Uri baseAddress) => new(baseAddress, AnnouncePath);

    /// <summary>
    /// <c>/announce/PASSKEY</c> for the tracker's plain announce URL (same scheme, host and port, path
    /// <c>/announce</c>; the query is kept); any other URL as it is.
    /// </summary>
    public Uri Rewrite(Uri announceUrl)
    {
        ArgumentNullException.ThrowIfNull(announceUrl);
        bool ours = announceUrl.IsAbsoluteUri
            && announceUrl.AbsolutePath == AnnouncePath
            && Uri.Compare(announceUrl, _plain, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
        return ours
            ? new UriBuilder(announceUrl) { Path = $"{AnnouncePath}/{Uri.EscapeDataString(_passkey)}" }.Uri
            : announceUrl;
    }
}
