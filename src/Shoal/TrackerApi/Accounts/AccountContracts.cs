namespace Shoal.TrackerApi.Accounts;

// The JSON bodies of a Shoal tracker's account and group API (docs/tracker-api.md), shared by the
// tracker and its clients. System.Text.Json web defaults: camelCase names.

/// <summary><c>POST /api/users</c> and <c>POST /api/sessions</c>: a user name and password.</summary>
public sealed record Credentials(string Name, string Password);

/// <summary>
/// <c>POST /api/sessions</c>: a bearer token for the API and a passkey for announces
/// (<c>/announce/PASSKEY</c>), both valid until <see cref="ExpiresAt"/> or logout.
/// </summary>
public sealed record LoginResult(string Name, string Token, string Passkey, DateTimeOffset ExpiresAt);

/// <summary><c>PUT /api/me/password</c>.</summary>
public sealed record PasswordChange(string Current, string New);

/// <summary><c>GET /api/me</c>: who the token belongs to.</summary>
public sealed record AccountInfo(string Name, IReadOnlyList<string> Groups);

/// <summary><c>POST /api/groups</c>.</summary>
public sealed record NewGroup(string Name);

/// <summary>An item of <c>GET /api/groups</c>.</summary>
public sealed record GroupSummary(string Name, string Owner, int Members);

/// <summary>An item of <c>GET /api/groups/{group}/requests</c>.</summary>
public sealed record JoinRequest(string User, DateTimeOffset Requested);

/// <summary>An item of <c>GET /api/groups/{group}/files</c>; <see cref="Owner"/> is the member who shared it.</summary>
public sealed record GroupFile(
    string Name,
    long Size,
    string Owner,
    string? InfoHashV1,
    string? InfoHashV2,
    int Seeders,
    int Leechers,
    DateTimeOffset Shared);

/// <summary>Every error answer of the API: <c>{"error": "…"}</c> with a 4xx or 5xx status.</summary>
public sealed record ApiError(string Error);

/// <summary>The answer to a new account: its name.</summary>
public sealed record UserCreated(string Name);
