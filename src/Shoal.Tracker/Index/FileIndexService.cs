using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Tracker.Api;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Swarms;
using Shoal.TrackerApi.Index;

namespace Shoal.Tracker.Index;

/// <summary>
/// The file index as clients see it: registering a .torrent, and listing registered files with their
/// swarms' figures and a magnet link that names this tracker.
/// </summary>
internal sealed class FileIndexService(
    IFileIndexStore store, ISwarmStore swarms, RegisteredSwarms registered, RegistrationLimits limits, TimeProvider time, ILogger logger)
{
    /// <summary>Counts a registration attempt before its body is read; a 429 or 403 when over a limit (<see cref="RegistrationLimits"/>).</summary>
    public Task AdmitAsync(Registrant registrant, CancellationToken cancellationToken) => limits.AdmitAsync(registrant, cancellationToken);

    /// <summary>
    /// Registers the .torrent; a malformed one is a <see cref="FormatException"/> whose message says
    /// what is wrong, a group's file (shared or stopped) a 409: it stays out of the public index.
    /// </summary>
    public async Task<(IndexedFile File, bool Created)> RegisterAsync(byte[] torrentFile, Registrant registrant, Uri announceUrl, CancellationToken cancellationToken)
    {
        StoredTorrent parsed = StoredTorrents.FromTorrentFile(torrentFile, time.GetUtcNow());
        (StoredTorrent stored, Registration outcome) = await store.RegisterAsync(parsed, registrant.UserId, cancellationToken).ConfigureAwait(false);
        if (outcome == Registration.GroupFile)
        {
            throw new ApiException(StatusCodes.Status409Conflict, "this torrent belongs to a private group: it cannot be listed publicly");
        }

        bool created = outcome == Registration.Created;
        registered.Add(stored);
        IndexedFile file = (await DescribeAsync([stored], announceUrl, cancellationToken).ConfigureAwait(false))[0];
        if (created)
        {
            TrackerLog.Registered(logger, file.Name, file.InfoHashV1 ?? file.InfoHashV2!);
        }

        return (file, created);
    }

    public async Task<FilePage> SearchAsync(string? search, int page, int perPage, Uri announceUrl, CancellationToken cancellationToken)
    {
        (long total, IReadOnlyList<TorrentListing> torrents) = await store.SearchAsync(search, (page - 1) * perPage, perPage, cancellationToken).ConfigureAwait(false);
        return new FilePage
        {
            Total = total,
            Page = page,
            PerPage = perPage,
            Files = await DescribeAsync(torrents, announceUrl, cancellationToken).ConfigureAwait(false),
        };
    }

    public Task<StoredTorrent?> FindAsync(InfoHashKey swarm, CancellationToken cancellationToken) => store.FindAsync(swarm, cancellationToken);

    private async Task<IReadOnlyList<IndexedFile>> DescribeAsync(IReadOnlyList<TorrentListing> torrents, Uri announceUrl, CancellationToken cancellationToken)
    {
        IReadOnlyList<SwarmCounts> figures = await SwarmFigures.OfAsync(swarms, torrents, cancellationToken).ConfigureAwait(false);
        return [.. torrents.Select((torrent, i) => Describe(torrent, figures[i], announceUrl))];
    }

    private static IndexedFile Describe(TorrentListing torrent, SwarmCounts counts, Uri announceUrl)
    {
        var hashes = new InfoHashes(
            torrent.InfoHashV1 is null ? null : new InfoHash(torrent.InfoHashV1),
            torrent.InfoHashV2 is null ? null : new InfoHash(torrent.InfoHashV2));
        var magnet = new MagnetLink
        {
            InfoHashes = hashes,
            DisplayName = torrent.Name,
            ExactLength = torrent.Size,
            Trackers = [announceUrl.AbsoluteUri],
        };
        return new IndexedFile
        {
            Name = torrent.Name,
            Size = torrent.Size,
            InfoHashV1 = hashes.V1?.ToHex(),
            InfoHashV2 = hashes.V2?.ToHex(),
            Magnet = magnet.ToUri(),
            Seeders = counts.Seeders,
            Leechers = counts.Leechers,
            Completed = counts.Completed,
            Registered = torrent.Registered,
        };
    }
}
