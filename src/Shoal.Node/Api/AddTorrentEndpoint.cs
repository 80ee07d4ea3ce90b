using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Node.Security;
using Shoal.Node.Torrents;

namespace Shoal.Node.Api;

/// <summary>
/// <c>POST /api/v1/torrents</c>: a .torrent (multipart field <c>torrent</c>), or JSON <c>{"magnet"}</c>,
/// <c>{"infoHash"}</c> or <c>{"share": PATH}</c>, with optional <c>savePath</c> and <c>paused</c>. 201 with the torrent, 200 when it was there.
/// </summary>
internal sealed class AddTorrentEndpoint(NodeTorrents torrents, SavePaths savePaths, ShareRoots shareRoots)
{
    public const long MaxTorrentBytes = 16 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        (NodeTorrent torrent, bool created) = context.Request.HasFormContentType
            ? await AddFormAsync(context).ConfigureAwait(false)
            : await AddJsonAsync(context).ConfigureAwait(false);
        await ApiJson.WriteAsync(context, TorrentViews.From(torrent), NodeJsonContext.Api.TorrentView, created ? StatusCodes.Status201Created : StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private async Task<(NodeTorrent, bool)> AddFormAsync(HttpContext context)
    {
        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        IFormFile file = form.Files["torrent"] ?? throw new ApiException(StatusCodes.Status400BadRequest, "send the .torrent in the multipart field 'torrent'");
        if (file.Length > MaxTorrentBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"the .torrent is larger than {MaxTorrentBytes} bytes");
        }

        var bytes = new byte[file.Length];
        await using (Stream stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }

        Torrent parsed;
        try
        {
            parsed = TorrentParser.Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"not a valid .torrent: {e.Message}");
        }

        bool paused = form["paused"].FirstOrDefault() is { } text && (bool.TryParse(text, out bool value)
            ? value
            : throw new ApiException(StatusCodes.Status400BadRequest, string.Create(CultureInfo.InvariantCulture, $"paused '{text}' is not true or false")));
        return torrents.Add(parsed, bytes, savePaths.Resolve(form["savePath"].FirstOrDefault()), paused);
    }

    private async Task<(NodeTorrent, bool)> AddJsonAsync(HttpContext context)
    {
        AddTorrentRequest request = await ApiJson.ReadAsync(context, NodeJsonContext.Api.AddTorrentRequest).ConfigureAwait(false);
        if (new[] { request.Magnet, request.InfoHash, request.Share }.Count(given => given is not null) != 1)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "send one of {\"magnet\"}, {\"infoHash\"} and {\"share\"}, or a .torrent as multipart field 'torrent'");
        }

        if (request.Share is not null)
        {
            return await ShareAsync(request.Share, request.Paused, context.RequestAborted).ConfigureAwait(false);
        }

        MagnetLink link;
        try
        {
            link = request.Magnet is { } magnet
                ? magnet.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase) ? MagnetLink.Parse(magnet) : throw new MagnetLinkException("it does not start with magnet:")
                : MagnetLink.FromInfoHash(request.InfoHash!);
        }
        catch (MagnetLinkException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, request.Magnet is null ? $"not an info-hash: {e.Message}" : $"not a valid magnet link: {e.Message}");
        }

        return torrents.Add(link, savePaths.Resolve(request.SavePath), request.Paused);
    }

    /// <summary>Hashes the file or folder into a new torrent and seeds it from where it is.</summary>
    private async Task<(NodeTorrent, bool)> ShareAsync(string path, bool paused, CancellationToken cancellationToken)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"share '{path}' is not an absolute path");
        }

        string given = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!File.Exists(given) && !Directory.Exists(given))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"cannot share {given}: no such file or folder");
        }

        string content = shareRoots.Admit(given)
            ?? throw new ApiException(StatusCodes.Status403Forbidden, $"cannot share {given}: it is outside the folders this node may share ({string.Join(", ", shareRoots.Roots)}; setting Node:ShareRoots)");

        CreatedTorrent created;
        try
        {
            created = await TorrentCreator.CreateAsync(content, new TorrentCreationOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TorrentCreationException or IOException or UnauthorizedAccessException)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"cannot share {content}: {e.Message}");
        }

        return torrents.Add(created.Torrent, created.FileBytes, Path.GetDirectoryName(content)!, paused, contentPath: content);
    }
}
