using Shoal.Tracker.Api;
using Shoal.Tracker.Index;
using Shoal.Tracker.Swarms;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Accounts;

/// <summary>
/// The durable users, sessions, groups and group files. Tokens and passkeys arrive here already
/// hashed (<see cref="SessionSecrets.Hash"/>); names already checked (<see cref="AccountNames"/>).
/// </summary>
public interface IAccountStore
{
    /// <summary>False when the name is taken.</summary>
    Task<bool> AddUserAsync(string name, byte[] salt, byte[] passwordHash, DateTimeOffset created, CancellationToken cancellationToken);

    Task<StoredUser?> FindUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets the password and revokes every session of the user but <paramref name="keptTokenHash"/>.</summary>
    Task ChangePasswordAsync(long userId, byte[] salt, byte[] passwordHash, byte[] keptTokenHash, CancellationToken cancellationToken);

    /// <summary>Adds a session (and forgets the user's expired ones).</summary>
    Task AddSessionAsync(long userId, byte[] tokenHash, byte[] passkeyHash, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The user of the live session with that token, if any.</summary>
    Task<AccountUser?> FindSessionAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task DeleteSessionAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>The names of the groups the user is a member of, in ordinal order.</summary>
    Task<IReadOnlyList<string>> GroupsOfAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Creates the group with its owner as its first member, unless the name is taken or the owner already has <paramref name="maxOwned"/>.</summary>
    Task<GroupCreation> AddGroupAsync(string name, long ownerId, int maxOwned, DateTimeOffset created, CancellationToken cancellationToken);

    /// <summary>A page of every group, by name in ordinal order (the same on SQLite and PostgreSQL).</summary>
    Task<ListPage<GroupSummary>> ListGroupsAsync(int offset, int limit, CancellationToken cancellationToken);

    Task<StoredGroup?> FindGroupAsync(string name, CancellationToken cancellationToken);

    Task<bool> IsMemberAsync(long groupId, long userId, CancellationToken cancellationToken);

    /// <summary>False when the user is already a member or has already asked.</summary>
    Task<bool> AddJoinRequestAsync(long groupId, long userId, DateTimeOffset requested, CancellationToken cancellationToken);

    /// <summary>A page of the group's join requests, oldest first.</summary>
    Task<ListPage<JoinRequest>> JoinRequestsAsync(long groupId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the user's request, making the user a member when <paramref name="accept"/>; false when there was none.</summary>
    Task<bool> ResolveJoinRequestAsync(long groupId, string userName, bool accept, CancellationToken cancellationToken);

    /// <summary>False when the user is not a member.</summary>
    Task<bool> RemoveMemberAsync(long groupId, string userName, CancellationToken cancellationToken);

    /// <summary>Deletes the group, its members and requests; its files stop being shared.</summary>
    Task DeleteGroupAsync(long groupId, CancellationToken cancellationToken);

    /// <summary>
    /// Shares the torrent into the group unless a group already shares one with those info-hashes or one of its
    /// swarms is in the public index (decided in the same transaction as a public registration would be).
    /// </summary>
    Task<GroupSharing> AddGroupFileAsync(long groupId, long sharerId, StoredTorrent torrent, CancellationToken cancellationToken);

    /// <summary>A page of the group's files, newest first, read from columns without their .torrent files.</summary>
    Task<ListPage<GroupFileListing>> GroupFilesAsync(long groupId, int offset, int limit, CancellationToken cancellationToken);

    Task<StoredGroupFile?> FindGroupFileAsync(long groupId, InfoHashKey swarm, CancellationToken cancellationToken);

    /// <summary>Removes the file from its group and remembers its swarms as stopped.</summary>
    Task StopSharingAsync(long groupId, InfoHashKey swarm, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="swarm"/> is public, a group file whose group has the user of the live
    /// session with <paramref name="passkeyHash"/> as a member (or not), or a file no longer shared.
    /// </summary>
    Task<SwarmAccess> SwarmAccessAsync(InfoHashKey swarm, byte[] passkeyHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every swarm a group has claimed, shared or stopped (claims never go back to public).</summary>
    Task<IReadOnlyList<InfoHashKey>> GroupSwarmsAsync(CancellationToken cancellationToken);
}

/// <summary>A user as stored, with the salt and hash of the password.</summary>
public sealed record StoredUser(long Id, string Name, byte[] Salt, byte[] PasswordHash);

/// <summary>The user a token or passkey belongs to.</summary>
public sealed record AccountUser(long Id, string Name);

public sealed record StoredGroup(long Id, string Name, long OwnerId, string Owner);

/// <summary>A file shared into a group: the torrent (its registration time is when it was shared) and who shared it.</summary>
public sealed record StoredGroupFile(StoredTorrent Torrent, long SharerId, string Sharer);

/// <summary>What a group's listing shows of a file: kept in columns, so listings never read the .torrent itself.</summary>
public sealed record GroupFileListing(TorrentListing Torrent, string Sharer);

/// <summary>Who may use a swarm.</summary>
public enum SwarmAccess
{
    /// <summary>Not a group file: anyone, as before accounts.</summary>
    Public,

    /// <summary>A group file, and the passkey is a current member's.</summary>
    Member,

    /// <summary>A group file, and the passkey is missing, unknown, expired, revoked or not a member's.</summary>
    NotMember,

    /// <summary>A group file that is no longer shared: nobody.</summary>
    Stopped,
}
