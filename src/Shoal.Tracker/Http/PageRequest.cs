using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Shoal.Tracker.Api;
using Shoal.TrackerApi;

namespace Shoal.Tracker.Http;

/// <summary>The page of a listing a request asks for: <c>page</c> from 1, <c>perPage</c> from 1 to <see cref="Paging.MaxPerPage"/>.</summary>
internal readonly record struct PageRequest(int Page, int PerPage)
{
    private const int MaxPage = 1_000_000;

    public int Offset => (Page - 1) * PerPage;

    /// <summary>Reads <c>page</c> and <c>perPage</c>, each optional; false with the reason when one is not a whole number in range.</summary>
    public static bool TryRead(IQueryCollection query, out PageRequest request, out string error)
    {
        ArgumentNullException.ThrowIfNull(query);
        int page = 1, perPage = Paging.DefaultPerPage;
        request = default;
        error = "";
        if (query.ContainsKey("page") && (!int.TryParse(query["page"], out page) || page < 1 || page > MaxPage))
        {
            error = "page must be a whole number from 1";
            return false;
        }

        if (query.ContainsKey("perPage") && (!int.TryParse(query["perPage"], out perPage) || perPage < 1 || perPage > Paging.MaxPerPage))
        {
            error = $"perPage must be a whole number from 1 to {Paging.MaxPerPage}";
            return false;
        }

        request = new PageRequest(page, perPage);
        return true;
    }

    /// <summary>The page the request asks for; a 400 when it is not whole numbers in range.</summary>
    public static PageRequest Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TryRead(context.Request.Query, out PageRequest request, out string error) ? request : throw new ApiException(StatusCodes.Status400BadRequest, error);
    }

    /// <summary>Answers the page's items as a JSON array, the listing's count in a header and, while there is a next page, a link to it.</summary>
    public Task WriteAsync<T>(HttpContext context, ListPage<T> page)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        context.Response.Headers[Paging.TotalCountHeader] = page.Total.ToString(CultureInfo.InvariantCulture);
        if ((long)Page * PerPage < page.Total)
        {
            var next = new QueryBuilder { { "page", (Page + 1).ToString(CultureInfo.InvariantCulture) }, { "perPage", PerPage.ToString(CultureInfo.InvariantCulture) } };
            context.Response.Headers.Link = $"<{context.Request.PathBase}{context.Request.Path}{next}>; rel=\"next\"";
        }

        return ApiJson.WriteAsync(context, page.Items);
    }
}
