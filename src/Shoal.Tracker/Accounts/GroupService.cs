using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Tracker.Api;
using Shoal.Tracker.Index;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Swarms;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Accounts;

/// <summary>Groups, their members and join requests, and the private files shared into them.</summary>
internal sealed class GroupService(IAccountStore store, ISwarmStore swarms, GroupSwarms groupSwarms, int maxGroupsPerUser, TimeProvider time, ILogger logger)
{
    public async Task<GroupSummary> CreateAsync(AccountUser user, NewGroup group, CancellationToken cancellationToken)
    {
        string name = AccountService.CheckName(group.Name);
        switch (await store.AddGroupAsync(name, user.Id, maxGroupsPerUser, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            case GroupCreation.NameTaken:
                throw new ApiException(StatusCodes.Status409Conflict, $"the group name {name} is taken");
            case GroupCreation.OwnerAtLimit:
                throw new ApiException(StatusCodes.Status403Forbidden, $"{user.Name} already owns {maxGroupsPerUser} groups, the most one user may: delete one first");
        }

        TrackerLog.GroupCreated(logger, name, user.Name);
        return new GroupSummary(name, user.Name, 1);
    }

    public Task<ListPage<GroupSummary>> ListAsync(int offset, int limit, CancellationToken cancellationToken) => store.ListGroupsAsync(offset, limit, cancellationToken);

    public async Task DeleteAsync(AccountUser user, string groupName, CancellationToken cancellationToken)
    {
        StoredGroup group = await OwnedAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        await store.DeleteGroupAsync(group.Id, cancellationToken).ConfigureAwait(false);
        TrackerLog.GroupDeleted(logger, group.Name, user.Name);
    }

    public async Task RequestToJoinAsync(AccountUser user, string groupName, CancellationToken cancellationToken)
    {
        StoredGroup group = await FindAsync(groupName, cancellationToken).ConfigureAwait(false);
        if (!await store.AddJoinRequestAsync(group.Id, user.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"{user.Name} is already a member of {group.Name} or has already asked to join");
        }
    }

    public async Task<ListPage<JoinRequest>> RequestsAsync(AccountUser user, string groupName, int offset, int limit, CancellationToken cancellationToken)
    {
        StoredGroup group = await OwnedAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        return await store.JoinRequestsAsync(group.Id, offset, limit, cancellationToken).ConfigureAwait(false);
    }

    public async Task ResolveRequestAsync(AccountUser user, string groupName, string userName, bool accept, CancellationToken cancellationToken)
    {
        StoredGroup group = await OwnedAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        if (!await store.ResolveJoinRequestAsync(group.Id, userName, accept, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(StatusCodes.Status404NotFound, $"{userName} has not asked to join {group.Name}");
        }

        TrackerLog.JoinResolved(logger, group.Name, userName, accept ? "accepted" : "rejected");
    }

    /// <summary>The owner removes a member, or a member leaves; the owner cannot leave (409).</summary>
    public async Task RemoveMemberAsync(AccountUser user, string groupName, string userName, CancellationToken cancellationToken)
    {
        StoredGroup group = await FindAsync(groupName, cancellationToken).ConfigureAwait(false);
        if (group.OwnerId != user.Id && userName != user.Name)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, $"only the owner of {group.Name} removes other members");
        }

        if (userName == group.Owner)
        {
            throw new ApiException(StatusCodes.Status409Conflict, "the owner cannot leave the group: delete it instead");
        }

        if (!await store.RemoveMemberAsync(group.Id, userName, cancellationToken).ConfigureAwait(false))
        {
            throw new ApiException(StatusCodes.Status404NotFound, $"{userName} is not a member of {group.Name}");
        }

        TrackerLog.MemberRemoved(logger, group.Name, userName);
    }

    public async Task<ListPage<GroupFile>> FilesAsync(AccountUser user, string groupName, int offset, int limit, CancellationToken cancellationToken)
    {
        StoredGroup group = await MemberOfAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        ListPage<GroupFileListing> files = await store.GroupFilesAsync(group.Id, offset, limit, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SwarmCounts> figures = await SwarmFigures.OfAsync(swarms, [.. files.Items.Select(file => file.Torrent)], cancellationToken).ConfigureAwait(false);
        return new ListPage<GroupFile>(files.Total, [.. files.Items.Select((file, i) => Describe(file.Torrent, file.Sharer, figures[i]))]);
    }

    /// <summary>Shares a private (BEP 27) .torrent into the group; a malformed one is a <see cref="FormatException"/>.</summary>
    public async Task<GroupFile> ShareAsync(AccountUser user, string groupName, byte[] torrentFile, CancellationToken cancellationToken)
    {
        StoredGroup group = await MemberOfAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        StoredTorrent torrent = StoredTorrents.FromTorrentFile(torrentFile, time.GetUtcNow(), out bool isPrivate);
        if (!isPrivate)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "a group's torrent must be private (BEP 27: private=1 in its info dictionary)");
        }

        groupSwarms.Claim(torrent.SwarmKeys);
        switch (await store.AddGroupFileAsync(group.Id, user.Id, torrent, cancellationToken).ConfigureAwait(false))
        {
            case GroupSharing.PublicFile:
                throw new ApiException(StatusCodes.Status409Conflict, "this torrent is in the public file index: it cannot be a group's");
            case GroupSharing.AlreadyShared:
                throw new ApiException(StatusCodes.Status409Conflict, "this torrent is already shared in a group");
        }

        TrackerLog.FileShared(logger, torrent.Name, group.Name, user.Name);
        return Describe(torrent, user.Name, (await SwarmFigures.OfAsync(swarms, [torrent], cancellationToken).ConfigureAwait(false))[0]);
    }

    public async Task<byte[]> TorrentAsync(AccountUser user, string groupName, InfoHashKey swarm, CancellationToken cancellationToken)
    {
        StoredGroup group = await MemberOfAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        StoredGroupFile file = await FileAsync(group, swarm, cancellationToken).ConfigureAwait(false);
        return file.Torrent.TorrentBytes;
    }

    /// <summary>The file's sharer or the group's owner stops sharing it: no longer listed nor tracked.</summary>
    public async Task StopSharingAsync(AccountUser user, string groupName, InfoHashKey swarm, CancellationToken cancellationToken)
    {
        StoredGroup group = await MemberOfAsync(user, groupName, cancellationToken).ConfigureAwait(false);
        StoredGroupFile file = await FileAsync(group, swarm, cancellationToken).ConfigureAwait(false);
        if (file.SharerId != user.Id && group.OwnerId != user.Id)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, $"only {file.Sharer}, who shared it, or the owner of {group.Name} stops sharing it");
        }

        await store.StopSharingAsync(group.Id, swarm, cancellationToken).ConfigureAwait(false);
        TrackerLog.SharingStopped(logger, file.Torrent.Name, group.Name, user.Name);
    }

    private async Task<StoredGroup> FindAsync(string groupName, CancellationToken cancellationToken) =>
        await store.FindGroupAsync(groupName, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"there is no group {groupName}");

    private async Task<StoredGroup> OwnedAsync(AccountUser user, string groupName, CancellationToken cancellationToken)
    {
        StoredGroup group = await FindAsync(groupName, cancellationToken).ConfigureAwait(false);
        return group.OwnerId == user.Id ? group : throw new ApiException(StatusCodes.Status403Forbidden, $"only the owner of {group.Name} may do that");
    }

    private async Task<StoredGroup> MemberOfAsync(AccountUser user, string groupName, CancellationToken cancellationToken)
    {
        StoredGroup group = await FindAsync(groupName, cancellationToken).ConfigureAwait(false);
        return await store.IsMemberAsync(group.Id, user.Id, cancellationToken).ConfigureAwait(false)
            ? group
            : throw new ApiException(StatusCodes.Status403Forbidden, $"only members of {group.Name} may do that: ask to join first");
    }

    private async Task<StoredGroupFile> FileAsync(StoredGroup group, InfoHashKey swarm, CancellationToken cancellationToken) =>
        await store.FindGroupFileAsync(group.Id, swarm, cancellationToken).ConfigureAwait(false)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"{group.Name} shares no file with that info-hash");

    private static GroupFile Describe(TorrentListing torrent, string sharer, SwarmCounts counts) => new(
        torrent.Name,
        torrent.Size,
        sharer,
        torrent.InfoHashV1 is null ? null : Convert.ToHexStringLower(torrent.InfoHashV1),
        torrent.InfoHashV2 is null ? null : Convert.ToHexStringLower(torrent.InfoHashV2),
        counts.Seeders,
        counts.Leechers,
        torrent.Registered);
}
