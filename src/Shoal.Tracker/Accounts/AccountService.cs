using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Tracker.Api;
using Shoal.Tracker.Logging;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Accounts;

/// <summary>Users and their sessions: creating, logging in and out, and changing passwords.</summary>
internal sealed class AccountService(IAccountStore store, PasswordHashing passwords, LoginThrottle throttle, TimeProvider time, ILogger logger)
{
    public const string WrongCredentials = "wrong name or password";

    // Compared against when the name is unknown, so that a login costs the same either way.
    private static readonly byte[] DecoySalt = PasswordHashing.NewSalt();
    private static readonly byte[] DecoyHash = new byte[32];

    /// <summary>
    /// Creates a user; each attempt counts against the address's login budget, before the name is looked
    /// up: a "taken" answer tells whether a name exists, and a creation costs a hash.
    /// </summary>
    public async Task CreateUserAsync(Credentials credentials, IPAddress remote, CancellationToken cancellationToken)
    {
        string name = CheckName(credentials.Name);
        CheckPassword(credentials.Password);
        if (!throttle.TryBegin(null, remote))
        {
            throw Throttled(remote);
        }

        if (await store.FindUserAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw Taken(name);
        }

        byte[] salt = PasswordHashing.NewSalt();
        byte[] hash = await passwords.HashAsync(credentials.Password, salt, cancellationToken).ConfigureAwait(false);
        if (!await store.AddUserAsync(name, salt, hash, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            throw Taken(name);
        }

        TrackerLog.UserCreated(logger, name);
    }

    public async Task<LoginResult> LoginAsync(Credentials credentials, IPAddress remote, CancellationToken cancellationToken)
    {
        string? name = AccountNames.IsValidName(credentials.Name) ? credentials.Name : null;
        if (!throttle.TryBegin(name, remote))
        {
            throw Throttled(remote);
        }

        // A name against the rules cannot exist, so refusing it without hashing tells nothing.
        StoredUser? user = name is null ? null : await store.FindUserAsync(name, cancellationToken).ConfigureAwait(false);
        bool matches = name is not null
            && await passwords.VerifyAsync(credentials.Password ?? "", user?.Salt ?? DecoySalt, user?.PasswordHash ?? DecoyHash, cancellationToken).ConfigureAwait(false);
        if (user is null || !matches)
        {
            TrackerLog.LoginFailed(logger, remote);
            throw new ApiException(StatusCodes.Status401Unauthorized, WrongCredentials);
        }

        throttle.Succeeded(user.Name, remote);
        string token = SessionSecrets.NewToken();
        string passkey = SessionSecrets.NewPasskey();
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset expires = now + SessionSecrets.Lifetime;
        await store.AddSessionAsync(user.Id, SessionSecrets.Hash(token), SessionSecrets.Hash(passkey), expires, now, cancellationToken).ConfigureAwait(false);
        TrackerLog.LoggedIn(logger, user.Name, remote);
        return new LoginResult(user.Name, token, passkey, expires);
    }

    /// <summary>The user of a live session with <paramref name="token"/>, if any.</summary>
    public Task<AccountUser?> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        store.FindSessionAsync(SessionSecrets.Hash(token), time.GetUtcNow(), cancellationToken);

    public Task LogoutAsync(string token, CancellationToken cancellationToken) => store.DeleteSessionAsync(SessionSecrets.Hash(token), cancellationToken);

    public async Task<AccountInfo> DescribeAsync(AccountUser user, CancellationToken cancellationToken) =>
        new(user.Name, await store.GroupsOfAsync(user.Id, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Checks the current password (throttled as a login is), sets the new one and revokes every other
    /// session of the user.
    /// </summary>
    public async Task ChangePasswordAsync(AccountUser user, string token, PasswordChange change, IPAddress remote, CancellationToken cancellationToken)
    {
        CheckPassword(change.New);
        StoredUser stored = await store.FindUserAsync(user.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status401Unauthorized, "the account no longer exists");
        if (!throttle.TryBegin(user.Name, remote))
        {
            throw Throttled(remote);
        }

        if (!await passwords.VerifyAsync(change.Current ?? "", stored.Salt, stored.PasswordHash, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, "the current password is wrong");
        }

        throttle.Succeeded(user.Name, remote);

        byte[] salt = PasswordHashing.NewSalt();
        byte[] hash = await passwords.HashAsync(change.New, salt, cancellationToken).ConfigureAwait(false);
        await store.ChangePasswordAsync(user.Id, salt, hash, SessionSecrets.Hash(token), cancellationToken).ConfigureAwait(false);
        TrackerLog.PasswordChanged(logger, user.Name);
    }

    /// <summary>The name if it follows <see cref="AccountNames"/>; a 400 otherwise.</summary>
    public static string CheckName(string? name) =>
        AccountNames.IsValidName(name) ? name! : throw new ApiException(StatusCodes.Status400BadRequest, AccountNames.NameRule);

    private static ApiException Taken(string name) => new(StatusCodes.Status409Conflict, $"the name {name} is taken");

    private ApiException Throttled(IPAddress remote)
    {
        TrackerLog.LoginThrottled(logger, remote);
        return new ApiException(StatusCodes.Status429TooManyRequests, "too many failed logins or sign-ups: wait a few minutes before trying again");
    }

    private static void CheckPassword(string? password)
    {
        if (!AccountNames.IsValidPassword(password))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, AccountNames.PasswordRule);
        }
    }
}
