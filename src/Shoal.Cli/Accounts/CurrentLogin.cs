using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.Cli.Accounts;

/// <summary>The login saved in the config folder (<see cref="LoginFile"/>), as commands use it.</summary>
public static class CurrentLogin
{
    /// <summary>The saved login while it is valid; <see langword="null"/> when there is none or it has expired.</summary>
    public static LoginState? ReadValid()
    {
        LoginState? login = LoginFile.Read(ShoalConfiguration.ConfigDirectory);
        return login is not null && !login.HasExpired(DateTimeOffset.UtcNow) ? login : null;
    }

    /// <summary>
    /// The saved login, which must be valid and, when <paramref name="trackerFlag"/> names a tracker, on that
    /// tracker (its token is good nowhere else).
    /// </summary>
    public static LoginState Require(string? trackerFlag)
    {
        LoginState login = LoginFile.Read(ShoalConfiguration.ConfigDirectory)
            ?? throw new LoginException("not logged in: run 'shoal login NAME --tracker URL' first");
        if (login.HasExpired(DateTimeOffset.UtcNow))
        {
            throw new LoginException($"the login of {login.Name} on {login.Tracker} expired at {login.ExpiresAt:u}: {LoginAgain(login)}");
        }

        if (trackerFlag is not null && ApiAddress(trackerFlag) != login.Tracker)
        {
            throw new LoginException($"logged in on {login.Tracker}, not {ApiAddress(trackerFlag)}: run 'shoal login NAME --tracker {trackerFlag}' to use that tracker");
        }

        return login;
    }

    public static string LoginAgain(LoginState login) => $"run 'shoal login {login.Name} --tracker {login.Tracker}' again";

    /// <summary>The API address (<c>http(s)://host:port</c>) of a --tracker value, an announce URL or the address itself.</summary>
    public static Uri ApiAddress(string trackerFlag) => TrackerIndexAddress.FromAnnounceUrl(new Uri(TrackerUrl.Check(trackerFlag)));

    /// <summary>The state to save for a login on the tracker whose API is at <paramref name="tracker"/>.</summary>
    public static LoginState From(Uri tracker, LoginResult result) =>
        new(tracker, PasskeyAnnounceUrl.PlainFor(tracker), result.Name, result.Token, result.Passkey, result.ExpiresAt);
}
