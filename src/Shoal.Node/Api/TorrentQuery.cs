using System.Globalization;
using Microsoft.AspNetCore.Http;
using Shoal.Node.Torrents;

namespace Shoal.Node.Api;

/// <summary>The list's <c>state</c>, <c>q</c>, <c>sort</c> (a field, <c>-</c> first for descending), <c>page</c> and <c>perPage</c>.</summary>
internal sealed record TorrentQuery(string? State, string? Text, string Sort, bool Descending, int Page, int PerPage)
{
    private const int MaxPerPage = 1000;

    private static readonly string[] SortFields = ["addedAt", "name", "size", "progress", "state"];

    public static TorrentQuery Parse(IQueryCollection query)
    {
        string sort = query["sort"].FirstOrDefault() ?? "addedAt";
        bool descending = sort.StartsWith('-');
        string field = descending ? sort[1..] : sort;
        if (!SortFields.Contains(field, StringComparer.Ordinal))
        {
            throw new ApiException(StatusCodes.Status400BadRequest, $"sort '{sort}' is not one of {string.Join(", ", SortFields)} (with - first for descending)");
        }

        return new TorrentQuery(
            query["state"].FirstOrDefault(),
            query["q"].FirstOrDefault(),
            field,
            descending,
            Number(query, "page", 1, int.MaxValue, 1),
            Number(query, "perPage", 1, MaxPerPage, 100));
    }

    public TorrentList Apply(IEnumerable<NodeTorrent> torrents)
    {
        List<TorrentView> matching = [.. torrents
            .Select(TorrentViews.From)
            .Where(t => State is null || string.Equals(t.State, State, StringComparison.OrdinalIgnoreCase))
            .Where(t => string.IsNullOrEmpty(Text) || t.Name.Contains(Text, StringComparison.OrdinalIgnoreCase))];
        IEnumerable<TorrentView> sorted = Sort switch
        {
            "name" => Order(matching, t => t.Name),
            "size" => Order(matching, t => t.Size),
            "progress" => Order(matching, t => t.Progress),
            "state" => Order(matching, t => t.State),
            _ => Order(matching, t => t.AddedAt),
        };
        return new TorrentList(matching.Count, [.. sorted.Skip((int)Math.Min(int.MaxValue, (long)(Page - 1) * PerPage)).Take(PerPage)]);
    }

    private IOrderedEnumerable<TorrentView> Order<TKey>(List<TorrentView> views, Func<TorrentView, TKey> key) =>
        Descending ? views.OrderByDescending(key).ThenBy(t => t.Id, StringComparer.Ordinal) : views.OrderBy(key).ThenBy(t => t.Id, StringComparer.Ordinal);

    private static int Number(IQueryCollection query, string name, int min, int max, int fallback)
    {
        string? text = query[name].FirstOrDefault();
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ApiException(StatusCodes.Status400BadRequest, $"{name} '{text}' is not a whole number from {min} to {max}");
    }
}
