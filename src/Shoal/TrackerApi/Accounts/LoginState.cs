namespace Shoal.TrackerApi.Accounts;

/// <summary>
/// The current login, as <see cref="LoginFile"/> keeps it between runs: the tracker's API address
/// (<c>http(s)://host:port</c>), its plain announce URL, who is logged in, and the login's token and
/// passkey with their expiry.
/// </summary>
public sealed record LoginState(Uri Tracker, Uri Announce, string Name, string Token, string Passkey, DateTimeOffset ExpiresAt)
{
    public bool HasExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>The login's announce URLs: the tracker's plain one goes to this login's passkey URL.</summary>
    public Uri RewriteAnnounceUrl(Uri announceUrl) => new PasskeyAnnounceUrl(Announce, Passkey).Rewrite(announceUrl);
}
