using Shoal.TrackerApi.Accounts;

namespace Shoal.Node.Groups;

/// <summary>
/// The node user's login on a Shoal tracker: the <c>login.json</c> that <c>shoal login</c> writes, read at each
/// use, so a login or logout made while the node runs takes effect at once.
/// </summary>
public sealed class NodeLogin(string? configDirectory, TimeProvider time)
{
    /// <summary>The login while it is valid; null when there is none, it expired, or the node has no config folder.</summary>
    public LoginState? Current()
    {
        LoginState? login = configDirectory is null ? null : LoginFile.Read(configDirectory);
        return login is not null && !login.HasExpired(time.GetUtcNow()) ? login : null;
    }

    /// <summary>Announce URLs of the login's tracker get its passkey, as <c>shoal get</c> and <c>shoal share</c> do.</summary>
    public Func<Uri, Uri>? AnnounceUrlRewrite() => Current() is { } login ? login.RewriteAnnounceUrl : null;
}
