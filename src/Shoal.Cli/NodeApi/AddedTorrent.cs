using Shoal.Node.Api;

namespace Shoal.Cli.NodeApi;

/// <summary>What an add answered: the torrent, and whether the node did not have it already.</summary>
public sealed record AddedTorrent(TorrentView Torrent, bool Created);
