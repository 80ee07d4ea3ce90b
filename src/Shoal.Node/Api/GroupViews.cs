namespace Shoal.Node.Api;

/// <summary><c>GET /api/v1/groups</c>: whether the node's user is logged in to a tracker, and then its groups and their files.</summary>
public sealed record GroupsView(bool LoggedIn, string? Tracker, string? User, IReadOnlyList<GroupView>? Groups);

public sealed record GroupView(string Name, string Owner, int Members, IReadOnlyList<GroupFileView> Files);

/// <summary>A file shared in a group; <c>infoHash</c> is its v1 info-hash in hex, else its v2 one.</summary>
public sealed record GroupFileView(string InfoHash, string Name, long Size, string Owner, int Seeders, int Leechers);

/// <summary>The optional body of <c>POST /api/v1/groups/{group}/files/{infoHash}</c>.</summary>
public sealed record GetGroupFileRequest(string? SavePath, bool Paused);
