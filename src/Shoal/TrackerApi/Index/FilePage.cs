namespace Shoal.TrackerApi.Index;

/// <summary>
/// One page of a tracker's file index (<c>GET /api/files?q=TEXT&amp;page=N&amp;perPage=M</c>), newest
/// registrations first. <see cref="Total"/> counts every file that matches the query.
/// </summary>
public sealed record FilePage
{
    public const int DefaultPerPage = Paging.DefaultPerPage;
    public const int MaxPerPage = Paging.MaxPerPage;

    public required long Total { get; init; }

    /// <summary>The page number, from 1.</summary>
    public required int Page { get; init; }

    public required int PerPage { get; init; }

    public required IReadOnlyList<IndexedFile> Files { get; init; }
}
