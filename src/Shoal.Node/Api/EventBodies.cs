namespace Shoal.Node.Api;

/// <summary>The event stream's first event: every torrent and the node's stats, which later events change.</summary>
public sealed record EventSnapshot(IReadOnlyList<TorrentView> Torrents, NodeStats Stats);

/// <summary>The event stream's <c>removed</c>: the id of a torrent the node no longer has.</summary>
public sealed record TorrentRemoved(string Id);
